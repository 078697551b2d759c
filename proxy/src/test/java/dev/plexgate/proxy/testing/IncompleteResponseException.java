package dev.plexgate.proxy.testing;

import java.io.IOException;

/** The connection ended before the response body was complete; {@link #partial()} holds what did arrive. */
public final class IncompleteResponseException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient RawResponse partial;

    public IncompleteResponseException(String message, RawResponse partial, Throwable cause) {
        super(message + " (" + partial.body().length + " body bytes received)", cause);
        this.partial = partial;
    }

    /** The head and the body bytes received before the connection ended. */
    public RawResponse partial() {
        return partial;
    }
}
