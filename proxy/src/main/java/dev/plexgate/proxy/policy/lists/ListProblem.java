package dev.plexgate.proxy.policy.lists;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One mistake (or, among a file's warnings, one oddity) in a list file.
 *
 * @param file    the file as it was named to plexgate
 * @param line    1-based; 0 when the problem is the file as a whole (it cannot be read)
 * @param column  1-based; 0 when {@code line} is 0
 * @param message what was found and what was expected
 */
public record ListProblem(Path file, int line, int column, String message) {

    public ListProblem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
    }

    /** {@code file:line:column: message}, the shape compilers use, so editors can jump to it. */
    @Override
    public String toString() {
        return line == 0 ? file + ": " + message : file + ":" + line + ":" + column + ": " + message;
    }
}
