package dev.plexgate.proxy.upstream;

/** Plex sent something that is not HTTP/1.1: the message says what, for the log line. */
public final class InvalidResponseException extends Exception {

    private static final long serialVersionUID = 1L;

    public InvalidResponseException(String message) {
        super(message, null, false, false);
    }
}
