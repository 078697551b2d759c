package dev.plexgate.control.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.plexgate.agent.TunnelProtocol;
import dev.plexgate.agent.TunnelSettings;
import dev.plexgate.agent.testing.FakeBinary;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class TunnelSectionTest {

    private static final UUID TUNNEL = UUID.fromString("6ff42ae2-765d-4adf-8112-31c55c1551ef");
    private static final String TOKEN = FakeBinary.token(TUNNEL);
    private static final String TOKEN_FILE_EXPECTED =
            "(expected: a file holding the tunnel's token from the dashboard, readable by its owner only (mode 0600))";

    @TempDir
    private Path dir;
    private Path file;
    private Path binary;
    private Path tokenFile;
    private final Map<String, String> environment = new HashMap<>();

    @BeforeEach
    void files() throws Exception {
        file = dir.resolve("plexgate.yml");
        binary = Files.writeString(dir.resolve("cloudflared"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rwxr-xr-x"));
        tokenFile = token("tunnel.token", TOKEN, "rw-------");
    }

    @Test
    void absent_isDisabled() throws Exception {
        assertThat(load("").tunnel()).isEqualTo(TunnelSettings.DISABLED);
        assertThat(load("tunnel:\n").tunnel()).isEqualTo(TunnelSettings.DISABLED);
    }

    @Test
    void disabled_readsNoTokenAndLooksForNoBinary() throws Exception {
        TunnelSettings tunnel = load("""
                tunnel:
                  enabled: false
                  cloudflared: /nowhere/cloudflared
                  token_file: /nowhere/tunnel.token
                  protocol: quic
                """).tunnel();

        assertThat(tunnel.enabled()).isFalse();
        assertThat(tunnel.token()).isNull();
        assertThat(tunnel.protocol()).isEqualTo(TunnelProtocol.QUIC);
    }

    @Test
    void enabled_everyKeySet() throws Exception {
        TunnelSettings tunnel = load("""
                tunnel:
                  enabled: true
                  cloudflared: cloudflared
                  token_file: tunnel.token
                  metrics: 127.0.0.1:20299
                  protocol: http2
                  grace_period: 10s
                  extra_args: [--edge-ip-version=4, --post-quantum]
                """).tunnel();

        assertThat(tunnel).isEqualTo(new TunnelSettings(true, binary, tunnel.token(),
                new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 20299), TunnelProtocol.HTTP2,
                Duration.ofSeconds(10), List.of("--edge-ip-version=4", "--post-quantum")));
        assertThat(tunnel.token().tunnelId()).isEqualTo(TUNNEL);
        assertThat(tunnel.toString()).doesNotContain(TOKEN);
    }

    @Test
    void enabled_tokenFromTheEnvironment_binaryFromPath() throws Exception {
        assumeThat(Path.of("/usr/bin/cloudflared")).doesNotExist();
        assumeThat(Path.of("/usr/local/bin/cloudflared")).doesNotExist();
        environment.put("PATH", "/nowhere:" + dir);
        environment.put("PLEXGATE_TUNNEL_TOKEN", TOKEN);

        TunnelSettings tunnel = load("tunnel:\n  enabled: true\n  token_env: PLEXGATE_TUNNEL_TOKEN\n").tunnel();

        assertThat(tunnel.cloudflared()).isEqualTo(binary);
        assertThat(tunnel.token().tunnelId()).isEqualTo(TUNNEL);
        assertThat(tunnel.metrics()).isEqualTo(TunnelSettings.DEFAULT_METRICS);
        assertThat(tunnel.gracePeriod()).isEqualTo(TunnelSettings.DEFAULT_GRACE_PERIOD);
    }

    @Test
    void enabled_noBinaryAnywhere_reportedAtEnabled() {
        assumeThat(Path.of("/usr/bin/cloudflared")).doesNotExist();
        assumeThat(Path.of("/usr/local/bin/cloudflared")).doesNotExist();
        environment.put("PATH", "/nowhere");

        assertProblem("tunnel:\n  enabled: true\n  token_file: tunnel.token\n", "2:12: tunnel.cloudflared: not set, and"
                + " there is no cloudflared in /usr/bin, /usr/local/bin or PATH (expected: cloudflared: the path of the"
                + " cloudflared binary, such as /usr/bin/cloudflared)");
    }

    @Test
    void tokenFile_readableByOthers_refusedSayingHowToFixIt() throws Exception {
        Path open = token("open.token", TOKEN, "rw-r--r--");

        assertProblem(enabled("token_file: open.token"), "4:15: tunnel.token_file: '" + open + "' is readable by group"
                + " or others (rw-r--r--); the token is a secret: chmod 600 " + open + " " + TOKEN_FILE_EXPECTED);
    }

    @Test
    void tokenFile_notAToken_saysSoWithoutPrintingIt() throws Exception {
        Path bad = token("bad.token", TOKEN.substring(4), "rw-------");

        assertProblem(enabled("token_file: bad.token"), "4:15: tunnel.token_file: '" + bad + "' is not a tunnel"
                + " token: its base64 does not hold a JSON object " + TOKEN_FILE_EXPECTED);
    }

    @Test
    void tokenFile_default_missing_reportedAtEnabled() {
        assumeThat(TunnelSection.DEFAULT_TOKEN_FILE).doesNotExist();

        assertProblem("tunnel:\n  enabled: true\n  cloudflared: cloudflared\n", "2:12: tunnel.token_file:"
                + " '/etc/plexgate/tunnel.token' no such file " + TOKEN_FILE_EXPECTED);
    }

    @Test
    void tokenEnv_problems() {
        environment.put("BROKEN", "not a token");
        String expected = "(expected: the name of a variable holding the tunnel's token from the dashboard)";

        assertProblem(enabled("token_env: UNSET_VARIABLE"),
                "4:14: tunnel.token_env: 'UNSET_VARIABLE' is not set in plexgate's environment " + expected);
        assertProblem(enabled("token_env: BROKEN"),
                "4:14: tunnel.token_env: 'BROKEN' is not a tunnel token: not standard padded base64 " + expected);
        assertProblem(enabled("token_env: 2FAST"), "4:14: tunnel.token_env: '2FAST' is not an environment variable"
                + " name (expected: a name such as TUNNEL_TOKEN)");
        assertProblem(enabled("token_env: BROKEN\n  token_file: tunnel.token"),
                "4:14: tunnel.token_env: set as well as token_file (expected: one of token_file and token_env)");
    }

    @Test
    void valueProblems_locatedAndExplained() throws Exception {
        Files.writeString(dir.resolve("not-executable"), "");
        assertProblem(enabled("protocol: udp"),
                "4:13: tunnel.protocol: 'udp' is not supported (expected: auto or quic or http2)");
        assertProblem(enabled("grace_period: 30"),
                "4:17: tunnel.grace_period: '30' has no unit (expected: a duration such as 500ms, 10s, 5m, 1h or 1d)");
        assertProblem(enabled("grace_period: 1h"),
                "4:17: tunnel.grace_period: '1h' out of range (expected: whole milliseconds from 0s to 10m)");
        assertProblem(enabled("metrics: 127.0.0.1"), "4:12: tunnel.metrics: '127.0.0.1' has no port (expected:"
                + " host:port with an explicit port, such as 127.0.0.1:20241)");
        assertProblem("tunnel:\n  enabled: true\n  cloudflared: not-executable\n  token_file: tunnel.token\n",
                "3:16: tunnel.cloudflared: '" + dir.resolve("not-executable") + "' is not an executable file"
                        + " (expected: the path of the cloudflared binary, such as /usr/bin/cloudflared)");
        assertProblem(enabled("tokenfile: x"), "4:3: tunnel.tokenfile: unknown key, did you mean 'token_file'?"
                + " (expected: one of enabled, cloudflared, token_file, token_env, metrics, protocol, grace_period,"
                + " extra_args)");
    }

    @Test
    void extraArgs_refusedItems_neverQuoteAValue() {
        assertProblem(enabled("extra_args: [--post-quantum, run]"), "4:32: tunnel.extra_args[1]: is not an option"
                + " (expected: --name or --name=value, lowercase name; cloudflared takes anything else as a command,"
                + " or ignores it and exits 0)");
        assertProblem(enabled("extra_args: [--token, " + TOKEN + "]"), "4:16: tunnel.extra_args[0]: '--token' would"
                + " put a secret on the command line, which every local user can read (expected: tunnel.token_file"
                + " or tunnel.token_env)");
        assertProblem(enabled("extra_args: [--token=" + TOKEN + "]"), "4:16: tunnel.extra_args[0]: '--token' would"
                + " put a secret on the command line, which every local user can read (expected: tunnel.token_file"
                + " or tunnel.token_env)");
        assertProblem(enabled("extra_args: [--metrics=0.0.0.0:2000]"), "4:16: tunnel.extra_args[0]: '--metrics' is"
                + " set by plexgate (expected: the tunnel section's own key for it: metrics, protocol or grace_period)");
    }

    private String enabled(String line) {
        return "tunnel:\n  enabled: true\n  cloudflared: cloudflared\n  " + line + "\n";
    }

    private void assertProblem(String yaml, String problem) {
        assertThatThrownBy(() -> load(yaml))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN))
                .hasMessageContaining(file + ":" + problem);
    }

    private PlexgateConfig load(String yaml) throws ConfigException {
        return ConfigLoader.parse(file, yaml, environment::get);
    }

    private Path token(String name, String value, String mode) throws Exception {
        Path path = Files.writeString(dir.resolve(name), value + "\n");
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
        return path;
    }
}
