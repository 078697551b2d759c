package dev.plexgate.proxy.tls;

import javax.net.ssl.SSLException;

/**
 * What a TLS failure was, from the exception Netty reports: its cause is usually wrapped (a
 * {@code DecoderException} around an {@code SSLHandshakeException}), and the innermost message
 * is the one that says what went wrong.
 */
public final class TlsFailures {

    private TlsFailures() {
    }

    /** The TLS exception in {@code cause}'s chain, or null when the failure was not TLS's. */
    public static SSLException find(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SSLException ssl) {
                return ssl;
            }
        }
        return null;
    }

    /** The innermost cause's message, or its class name when it has none. */
    public static String rootMessage(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
