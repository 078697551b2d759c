package dev.plexgate.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a system tool the packaging is checked with, and fails clearly when it is not installed. */
final class Command {

    /** Exit status and the output, stdout and stderr merged in the order they came. */
    record Result(int exitCode, String output) {
    }

    private Command() {
    }

    /** The repository root: the tests run in packaging/. */
    static Path repository() {
        return Path.of("").toAbsolutePath().getParent();
    }

    static Result run(List<String> command) throws IOException, InterruptedException {
        return run(command, null, Map.of());
    }

    static Result run(List<String> command, Path directory, Map<String, String> environment)
            throws IOException, InterruptedException {
        assertThat(onPath(command.get(0)))
                .as("%s must be installed for this test (.ci/run installs it)", command.get(0))
                .isTrue();
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("%s finished", command).isTrue();
        return new Result(process.exitValue(), output);
    }

    private static boolean onPath(String program) {
        if (program.contains("/")) {
            return Files.isExecutable(Path.of(program));
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String directory : path.split(":")) {
            if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, program))) {
                return true;
            }
        }
        return false;
    }
}
