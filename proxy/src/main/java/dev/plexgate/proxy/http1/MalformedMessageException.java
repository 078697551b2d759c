package dev.plexgate.proxy.http1;

/**
 * A message that breaks HTTP/1.1's grammar (RFC 9112): the message says what, for the log line
 * or the error page. Without a stack trace: it is an answer, not a bug.
 */
public final class MalformedMessageException extends Exception {

    private static final long serialVersionUID = 1L;

    public MalformedMessageException(String message) {
        super(message, null, false, false);
    }
}
