package dev.plexgate.control.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects the problems of one file, so that a single run reports all of them. */
final class Problems {

    private final Path file;
    private final List<ConfigProblem> found = new ArrayList<>();
    private final List<ConfigProblem> warnings = new ArrayList<>();

    Problems(Path file) {
        this.file = file;
    }

    void add(int line, int column, String message) {
        found.add(new ConfigProblem(file, line, column, message));
    }

    void add(YamlNode node, String message) {
        add(node.line(), node.column(), message);
    }

    /** Something allowed but risky or about to break, reported without failing the load. */
    void warn(YamlNode node, String message) {
        warnings.add(new ConfigProblem(file, node.line(), node.column(), message));
    }

    List<ConfigProblem> warnings() {
        return List.copyOf(warnings);
    }

    /** Records a problem that ends reading, and the exception to throw for it. */
    ConfigException fail(int line, int column, String message) {
        add(line, column, message);
        return exception();
    }

    /** Throws with every problem, in file order, when there is at least one. */
    void throwIfAny() throws ConfigException {
        if (!found.isEmpty()) {
            throw exception();
        }
    }

    private ConfigException exception() {
        List<ConfigProblem> sorted = new ArrayList<>(found);
        sorted.sort(Comparator.comparingInt(ConfigProblem::line).thenComparingInt(ConfigProblem::column));
        return new ConfigException(sorted);
    }
}
