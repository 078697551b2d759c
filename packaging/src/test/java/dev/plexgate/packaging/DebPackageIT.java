package dev.plexgate.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The .deb that package built (an IT: failsafe runs it in verify, after package). */
final class DebPackageIT {

    /** One line of dpkg-deb --contents: mode, owner/group, size, date, time, ./path. */
    private static final Pattern ENTRY = Pattern.compile("^(\\S+) (\\S+)\\s+\\d+ \\S+ \\S+ \\.(/\\S*)$");

    private static Path deb;

    /** The newest .deb in target/: one of an earlier version may still lie there. */
    @BeforeAll
    static void findDeb() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            deb = files.filter(file -> file.getFileName().toString().matches("plexgate_.*_all\\.deb"))
                    .max(Comparator.comparing(file -> file.toFile().lastModified())).orElse(null);
        }
        assertThat(deb).as("the .deb in target/, built in package").isNotNull();
    }

    @Test
    void control_dependsOnAJava17Runtime() throws Exception {
        Command.Result control = Command.run(List.of("dpkg-deb", "--field", deb.toString(), "Package", "Architecture", "Depends"));

        assertThat(control.output()).contains("Package: plexgate", "Architecture: all",
                "Depends: default-jre-headless (>= 2:1.17) | java17-runtime-headless");
    }

    @Test
    void info_maintainerScriptsAndConffiles() throws Exception {
        Command.Result info = Command.run(List.of("dpkg-deb", "--info", deb.toString()));
        Command.Result conffiles = Command.run(List.of("dpkg-deb", "--info", deb.toString(), "conffiles"));

        assertThat(info.output()).containsPattern("\\*\\s+postinst").containsPattern("\\*\\s+prerm")
                .containsPattern("\\*\\s+postrm");
        assertThat(conffiles.output().lines()).containsExactlyInAnyOrder(
                "/etc/plexgate/plexgate.yml", "/etc/plexgate/allow.list", "/etc/plexgate/bots.list");
    }

    @Test
    void contents_pathsModesAndOwners() throws Exception {
        Command.Result contents = Command.run(List.of("dpkg-deb", "--contents", deb.toString()));
        Map<String, String> files = contents.output().lines().map(ENTRY::matcher).filter(Matcher::matches)
                .collect(Collectors.toMap(entry -> entry.group(3), entry -> entry.group(1) + " " + entry.group(2)));

        assertThat(files).as(contents.output())
                .containsEntry("/usr/share/plexgate/plexgate.jar", "-rw-r--r-- root/root")
                .containsEntry("/usr/bin/plexgate", "-rwxr-xr-x root/root")
                .containsEntry("/etc/plexgate/plexgate.yml", "-rw-r--r-- root/root")
                .containsEntry("/etc/plexgate/allow.list", "-rw-r--r-- root/root")
                .containsEntry("/etc/plexgate/bots.list", "-rw-r--r-- root/root")
                .containsEntry("/lib/systemd/system/plexgate.service", "-rw-r--r-- root/root")
                .containsEntry("/usr/lib/sysusers.d/plexgate.conf", "-rw-r--r-- root/root")
                .containsEntry("/usr/lib/tmpfiles.d/plexgate.conf", "-rw-r--r-- root/root")
                .containsEntry("/usr/share/doc/plexgate/copyright", "-rw-r--r-- root/root")
                .containsEntry("/usr/share/doc/plexgate/changelog.gz", "-rw-r--r-- root/root");
        // The token is the user's to create: the package never ships one.
        assertThat(files).doesNotContainKey("/etc/plexgate/tunnel.token");
    }

    @Test
    void installedFiles_sameAsInTheRepository() throws Exception {
        Path root = Files.createTempDirectory("plexgate-deb");
        Command.Result extract = Command.run(List.of("dpkg-deb", "--extract", deb.toString(), root.toString()));
        Path repository = Command.repository();
        Function<String, String> read = path -> {
            try {
                return Files.readString(root.resolve(path));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        };

        assertThat(extract.exitCode()).as(extract.output()).isZero();
        assertThat(read.apply("lib/systemd/system/plexgate.service")).isEqualTo(Files.readString(repository.resolve("systemd/plexgate.service")));
        assertThat(read.apply("usr/bin/plexgate")).isEqualTo(Files.readString(repository.resolve("packaging/bin/plexgate")));
        assertThat(read.apply("etc/plexgate/plexgate.yml")).isEqualTo(Files.readString(repository.resolve("conf/plexgate.yml")));
        assertThat(Files.size(root.resolve("usr/share/plexgate/plexgate.jar")))
                .isEqualTo(Files.size(repository.resolve("control/target/plexgate.jar")));
        Command.run(List.of("rm", "-rf", root.toString()));
    }

    @Test
    void lintian_noError() throws Exception {
        Command.Result lintian = Command.run(List.of("lintian", "--no-tag-display-limit", deb.toString()));

        assertThat(lintian.output().lines().filter(line -> line.startsWith("E:"))).as(lintian.output()).isEmpty();
        assertThat(lintian.exitCode()).as(lintian.output()).isZero();
    }
}
