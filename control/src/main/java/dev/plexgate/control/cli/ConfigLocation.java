package dev.plexgate.control.cli;

import dev.plexgate.control.config.ConfigException;
import dev.plexgate.control.config.ConfigProblem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Where {@code plexgate.yml} is when no {@code -c} says. */
final class ConfigLocation {

    /** Installed, then a checkout's copy relative to the current directory. */
    static final List<Path> DEFAULTS = List.of(Path.of("/etc/plexgate/plexgate.yml"), Path.of("conf/plexgate.yml"));

    private ConfigLocation() {
    }

    /** The first candidate that exists. */
    static Path find(List<Path> candidates) throws ConfigException {
        for (Path candidate : candidates) {
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        List<String> others = candidates.subList(1, candidates.size()).stream().map(Path::toString).toList();
        throw new ConfigException(List.of(new ConfigProblem(candidates.get(0), 0, 0,
                "no such file, nor " + String.join(", nor ", others)
                        + " (expected: one of them, or a file named with -c FILE)")));
    }
}
