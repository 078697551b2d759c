package dev.plexgate.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** packaging/bin/plexgate: the java it runs, with which options, on which jar. */
final class LauncherTest {

    private static final Path LAUNCHER = Command.repository().resolve("packaging/bin/plexgate");
    private static final List<String> JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-Xmx128m",
            "-XX:MaxDirectMemorySize=256m", "-XX:+ExitOnOutOfMemoryError", "-Dio.netty.leakDetection.level=disabled",
            "-Dio.netty.allocator.lowMemory=false");

    @TempDir
    Path javaHome;

    /** A java that prints its arguments, one a line. */
    @BeforeEach
    void fakeJava() throws IOException {
        Path java = Files.createDirectories(javaHome.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\nfor argument in \"$@\"; do echo \"$argument\"; done\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void launcher_run_javaWithTheShippedOptionsOnTheInstalledJar() throws Exception {
        Command.Result result = launch(Map.of(), "run", "-c", "/etc/plexgate/plexgate.yml");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output().lines()).containsExactlyElementsOf(concat(JVM_OPTIONS,
                List.of("-jar", "/usr/share/plexgate/plexgate.jar", "run", "-c", "/etc/plexgate/plexgate.yml")));
    }

    @Test
    void launcher_extraJavaOptions_afterTheShippedOnesSoTheyWin() throws Exception {
        Command.Result result = launch(Map.of("PLEXGATE_JAVA_OPTS", "-Xmx256m -Dx=y"), "status");

        assertThat(result.output().lines()).containsExactlyElementsOf(concat(JVM_OPTIONS,
                List.of("-Xmx256m", "-Dx=y", "-jar", "/usr/share/plexgate/plexgate.jar", "status")));
    }

    @Test
    void launcher_argumentWithSpaces_passedAsOne() throws Exception {
        Command.Result result = launch(Map.of(), "allow", "add", "203.0.113.7", "bob", "--comment", "his home");

        assertThat(result.output().lines()).endsWith("--comment", "his home");
    }

    @Test
    void launcher_syntax_validAndExecutable() throws Exception {
        Command.Result result = Command.run(List.of("sh", "-n", LAUNCHER.toString()));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(Files.isExecutable(LAUNCHER)).isTrue();
    }

    private Command.Result launch(Map<String, String> environment, String... arguments) throws Exception {
        List<String> command = concat(List.of(LAUNCHER.toString()), List.of(arguments));
        // Whatever the build's own environment says, only what the test gives counts.
        Map<String, String> withJava = new HashMap<>(Map.of("PLEXGATE_JAVA_OPTS", "", "PLEXGATE_JAR", ""));
        withJava.putAll(environment);
        withJava.put("JAVA_HOME", javaHome.toString());
        return Command.run(command, null, withJava);
    }

    private static List<String> concat(List<String> first, List<String> second) {
        return Stream.concat(first.stream(), second.stream()).toList();
    }
}
