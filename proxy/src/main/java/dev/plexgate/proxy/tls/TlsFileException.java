package dev.plexgate.proxy.tls;

import java.nio.file.Path;

/**
 * A certificate, key or password file that cannot be used, with what is wrong with it. The
 * message names the file and the problem, never the file's content.
 */
public final class TlsFileException extends Exception {

    private final transient Path file;
    private final String problem;

    public TlsFileException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
        this.problem = problem;
    }

    public Path file() {
        return file;
    }

    /** What is wrong, without the file name. */
    public String problem() {
        return problem;
    }
}
