package dev.plexgate.control.tls;

/** Why a {@code plexgate tls} command wrote nothing, and the exit status that says so. */
public final class TlsRefusal extends Exception {

    private static final long serialVersionUID = 1L;

    /** Refused as things stand: the files exist, there is no CA to renew from, writing failed. */
    public static final int REFUSED = 1;
    /** A name, an address, an owner or a file read is invalid: the same status as a command-line mistake. */
    public static final int INVALID = 2;

    private final int exitCode;

    private TlsRefusal(String message, int exitCode) {
        // The message is the whole story for the user; a stack trace would only hide it.
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    static TlsRefusal refused(String message) {
        return new TlsRefusal(message, REFUSED);
    }

    static TlsRefusal invalid(String message) {
        return new TlsRefusal(message, INVALID);
    }

    public int exitCode() {
        return exitCode;
    }
}
