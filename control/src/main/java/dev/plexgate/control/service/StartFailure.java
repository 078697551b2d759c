package dev.plexgate.control.service;

/** plexgate could not start with a valid configuration, e.g. its listen address is taken. */
public final class StartFailure extends Exception {

    private static final long serialVersionUID = 1L;

    StartFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
