package dev.plexgate.control.allow;

/** Why an allow-list command did nothing, and the exit status that says so. */
public final class Refusal extends Exception {

    private static final long serialVersionUID = 1L;

    /** Nothing to do, or refused: a duplicate, no such entry. */
    public static final int REFUSED = 1;
    /** The entry, the name or the files are invalid. */
    public static final int INVALID = 2;

    private final int exitCode;

    private Refusal(String message, int exitCode) {
        // The message is the whole story for the user; a stack trace would only hide it.
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    static Refusal refused(String message) {
        return new Refusal(message, REFUSED);
    }

    static Refusal invalid(String message) {
        return new Refusal(message, INVALID);
    }

    public int exitCode() {
        return exitCode;
    }
}
