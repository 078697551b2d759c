package dev.plexgate.control.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where something is written in a configuration file: for problems found after loading, such as
 * when a rule's expression is compiled or a list it names turns out empty.
 *
 * @param file   the file as it was named to plexgate
 * @param line   1-based
 * @param column 1-based
 */
public record SourceLocation(Path file, int line, int column) {

    public SourceLocation {
        Objects.requireNonNull(file, "file");
    }

    /** A problem located here. */
    public ConfigProblem problem(String message) {
        return new ConfigProblem(file, line, column, message);
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
