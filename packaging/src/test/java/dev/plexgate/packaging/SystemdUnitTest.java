package dev.plexgate.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** systemd/: the unit's sandbox as systemd rates it, its syntax, and the user and directories. */
final class SystemdUnitTest {

    private static final Path SYSTEMD = Command.repository().resolve("systemd");
    private static final Path UNIT = SYSTEMD.resolve("plexgate.service");
    private static final Pattern EXPOSURE = Pattern.compile("Overall exposure level for plexgate\\.service: (\\d+\\.\\d)");

    @Test
    void unit_analyzedOffline_exposureAtMostTwo() throws Exception {
        Command.Result result = Command.run(List.of("systemd-analyze", "security", "--offline=true", "--no-pager",
                UNIT.toString()));

        Matcher score = EXPOSURE.matcher(result.output());
        assertThat(score.find()).as(result.output()).isTrue();
        assertThat(Double.parseDouble(score.group(1))).as(result.output()).isLessThanOrEqualTo(2.0);
    }

    /**
     * verify checks that ExecStart's program exists and resolves the dependencies, so it runs in a
     * root of its own: the host's unit directory, the unit, and stand-ins for the two programs.
     */
    @Test
    void unit_verifiedInAnInstalledRoot_noWarning(@TempDir Path root) throws Exception {
        Path units = Files.createDirectories(root.resolve("usr/lib/systemd"));
        assertThat(Command.run(List.of("cp", "-a", "/usr/lib/systemd/system", units.toString())).exitCode()).isZero();
        Files.copy(UNIT, units.resolve("system/plexgate.service"));
        for (String program : List.of("usr/bin/plexgate", "bin/kill")) {
            Path stub = Files.createDirectories(root.resolve(program).getParent()).resolve(Path.of(program).getFileName());
            Files.writeString(stub, "#!/bin/sh\n");
            Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
        }

        Command.Result result = Command.run(List.of("systemd-analyze", "verify", "--root=" + root, "--man=no",
                "--generators=no", "plexgate.service"), root, Map.of());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).isEmpty();
    }

    @Test
    void unit_stopAndReload_plexgateInCharge() throws IOException {
        Map<String, List<String>> service = section(Files.readAllLines(UNIT), "Service");

        assertThat(service).containsEntry("Type", List.of("exec"))
                .containsEntry("ExecStart", List.of("/usr/bin/plexgate run -c /etc/plexgate/plexgate.yml"))
                .containsEntry("ExecReload", List.of("/bin/kill -HUP $MAINPID"))
                .containsEntry("Restart", List.of("on-failure"))
                .containsEntry("User", List.of("plexgate"))
                // SIGTERM to plexgate alone, which stops cloudflared with one SIGTERM of its own.
                .containsEntry("KillMode", List.of("mixed"))
                // 30s cloudflared grace + 5s margin + 10s shutdown of the proxy, with room to spare.
                .containsEntry("TimeoutStopSec", List.of("90s"))
                .containsEntry("CapabilityBoundingSet", List.of(""))
                .containsEntry("ProtectSystem", List.of("strict"))
                .containsEntry("StateDirectory", List.of("plexgate"))
                // The JIT writes the code it runs.
                .doesNotContainKey("MemoryDenyWriteExecute")
                // cloudflared reaches the edge anywhere on the internet.
                .doesNotContainKey("IPAddressDeny");
    }

    /** Each setting says why: every paragraph of settings starts with a comment. */
    @Test
    void unit_everySetting_explained() throws IOException {
        List<String> unexplained = new ArrayList<>();
        boolean commented = false;
        for (String line : Files.readAllLines(UNIT)) {
            if (line.isBlank() || line.startsWith("[")) {
                commented = false;
            } else if (line.startsWith("#")) {
                commented = true;
            } else if (!commented) {
                unexplained.add(line);
            }
        }
        assertThat(unexplained).isEmpty();
    }

    @Test
    void sysusersAndTmpfiles_appliedToARoot_userAndPrivateDirectories(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("etc/plexgate"));
        Path token = Files.writeString(root.resolve("etc/plexgate/tunnel.token"), "eyJ...\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));

        Command.Result users = Command.run(List.of("sh", "-c",
                "systemd-sysusers --root=\"$1\" - < \"$2\"", "sh", root.toString(),
                SYSTEMD.resolve("plexgate.sysusers").toString()));
        Command.Result files = Command.run(List.of("sh", "-c",
                "systemd-tmpfiles --root=\"$1\" --create - < \"$2\"", "sh", root.toString(),
                SYSTEMD.resolve("plexgate.tmpfiles").toString()));

        assertThat(users.exitCode()).as(users.output()).isZero();
        assertThat(files.exitCode()).as(files.output()).isZero();
        String passwd = Files.readString(root.resolve("etc/passwd"));
        assertThat(passwd).containsPattern("(?m)^plexgate:x:\\d+:\\d+:[^:]*:/var/lib/plexgate:/usr/sbin/nologin$");
        int uid = Integer.parseInt(passwd.replaceAll("(?s).*?plexgate:x:(\\d+):.*", "$1"));
        assertThat(mode(root.resolve("etc/plexgate"))).isEqualTo("rwxr-x---");
        assertThat(Files.getAttribute(root.resolve("etc/plexgate"), "unix:uid")).isEqualTo(0);
        assertThat(mode(token)).isEqualTo("rw-------");
        assertThat(Files.getAttribute(token, "unix:uid")).isEqualTo(uid);
        assertThat(mode(root.resolve("var/lib/plexgate"))).isEqualTo("rwxr-x---");
        assertThat(Files.getAttribute(root.resolve("var/lib/plexgate"), "unix:uid")).isEqualTo(uid);
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    /** The settings of one section, in order, a key given several times keeping every value. */
    private static Map<String, List<String>> section(List<String> lines, String name) {
        Map<String, List<String>> settings = new LinkedHashMap<>();
        String current = "";
        for (String line : lines) {
            if (line.startsWith("[")) {
                current = line.substring(1, line.indexOf(']'));
            } else if (current.equals(name) && !line.isBlank() && !line.startsWith("#")) {
                int equals = line.indexOf('=');
                settings.computeIfAbsent(line.substring(0, equals), key -> new ArrayList<>()).add(line.substring(equals + 1));
            }
        }
        return settings;
    }
}
