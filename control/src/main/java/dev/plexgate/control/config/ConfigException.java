package dev.plexgate.control.config;

import java.util.List;
import java.util.stream.Collectors;

/** A configuration that cannot be used; its message lists every problem found, one per line. */
public final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    private final List<ConfigProblem> problems;

    public ConfigException(List<ConfigProblem> problems) {
        // A stack trace says nothing about a mistake in a file: the problems are the whole story.
        super(problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n")), null, false, false);
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a config exception without problems");
        }
        this.problems = List.copyOf(problems);
    }

    /** In the order they appear in the file. */
    public List<ConfigProblem> problems() {
        return problems;
    }
}
