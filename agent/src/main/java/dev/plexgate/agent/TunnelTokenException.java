package dev.plexgate.agent;

/**
 * A tunnel token that cannot be used. The message says what is wrong with it, for a sentence that
 * starts with where it came from ({@code tunnel.token_file: '/etc/plexgate/tunnel.token' is empty}),
 * and never quotes the token.
 */
public final class TunnelTokenException extends Exception {

    private static final long serialVersionUID = 1L;

    TunnelTokenException(String message) {
        super(message, null, false, false);
    }
}
