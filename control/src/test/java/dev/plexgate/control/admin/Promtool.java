package dev.plexgate.control.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus's own linter on a scrape. It must be installed ({@code .ci/run} installs the
 * prometheus package): a missing promtool fails the test rather than skipping the check.
 */
public final class Promtool {

    private Promtool() {
    }

    /** Asserts that {@code promtool check metrics} finds no problem in {@code scrape}. */
    public static void assertClean(String scrape) throws IOException, InterruptedException {
        Path promtool = find();
        Process process = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        try (var in = process.getOutputStream()) {
            in.write(scrape.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("promtool finished").isTrue();
        assertThat(output).as("promtool check metrics").isEmpty();
        assertThat(process.exitValue()).as("promtool's exit status").isZero();
    }

    private static Path find() {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String directory : path.split(":")) {
            Path candidate = Path.of(directory, "promtool");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("promtool is not installed (apt-get install prometheus): the metrics cannot be"
                + " checked");
    }
}
