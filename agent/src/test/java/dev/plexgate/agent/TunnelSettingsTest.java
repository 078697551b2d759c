package dev.plexgate.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plexgate.agent.testing.FakeBinary;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

final class TunnelSettingsTest {

    private static final String TOKEN = FakeBinary.token(UUID.randomUUID());

    @Test
    void command_optionsBeforeRun_noToken() throws Exception {
        TunnelSettings settings = settings(TunnelProtocol.AUTO, Duration.ofSeconds(30), List.of());

        assertThat(settings.command()).containsExactly("/usr/bin/cloudflared", "tunnel", "--no-autoupdate",
                "--metrics", "127.0.0.1:20241", "--grace-period", "30s", "run");
    }

    @Test
    void command_protocolGraceAndExtraArgs_inThatOrder() throws Exception {
        TunnelSettings settings = new TunnelSettings(true, Path.of("/usr/bin/cloudflared"), TunnelToken.parse(TOKEN),
                new InetSocketAddress(InetAddress.getByName("::1"), 20242), TunnelProtocol.HTTP2,
                Duration.ofMillis(1500), List.of("--edge-ip-version=6", "--post-quantum"));

        assertThat(settings.command()).containsExactly("/usr/bin/cloudflared", "tunnel", "--no-autoupdate",
                "--metrics", "[0:0:0:0:0:0:0:1]:20242", "--protocol", "http2", "--grace-period", "1500ms",
                "--edge-ip-version=6", "--post-quantum", "run");
        assertThat(String.join(" ", settings.command())).doesNotContain(TOKEN);
        assertThat(settings.toString()).doesNotContain(TOKEN);
    }

    @Test
    void extraArgs_refused_withTheReason_neverQuotingTheValue() {
        String[][] cases = {
                {"run", "is not an option (expected: --name or --name=value, lowercase name; cloudflared takes"
                        + " anything else as a command, or ignores it and exits 0)"},
                {"-v", "is not an option"},
                {"--Loglevel=debug", "is not an option"},
                {"--label=a\nb", "is not an option"},
                {"--token=" + TOKEN, "would put a secret on the command line, which every local user can read"
                        + " (expected: tunnel.token_file or tunnel.token_env)"},
                {"--credentials-contents={}", "would put a secret on the command line"},
                {"--metrics=0.0.0.0:2000", "is set by plexgate (expected: the tunnel section's own key for it:"
                        + " metrics, protocol or grace_period)"},
                {"--grace-period=30", "is set by plexgate"},
                {"--version", "makes cloudflared exit instead of running the tunnel"},
        };
        for (String[] row : cases) {
            assertThatThrownBy(() -> TunnelSettings.checkExtraArgument(row[0])).as(row[0])
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith(row[1])
                    .message().doesNotContain(TOKEN);
        }
    }

    @Test
    void gracePeriod_outOfRange_isRefused() {
        assertThatThrownBy(() -> settings(TunnelProtocol.AUTO, Duration.ofMinutes(11), List.of()))
                .hasMessage("grace period PT11M (expected: whole milliseconds from 0s to 10m)");
        assertThatThrownBy(() -> settings(TunnelProtocol.AUTO, Duration.ofNanos(1500), List.of()))
                .hasMessageEndingWith("(expected: whole milliseconds from 0s to 10m)");
    }

    @Test
    void disabled_hasNoCommand_andNeedsNoToken() {
        assertThat(TunnelSettings.DISABLED.token()).isNull();
        assertThatThrownBy(TunnelSettings.DISABLED::command).isInstanceOf(IllegalStateException.class);
    }

    private static TunnelSettings settings(TunnelProtocol protocol, Duration grace, List<String> extra)
            throws TunnelTokenException {
        return new TunnelSettings(true, Path.of("/usr/bin/cloudflared"), TunnelToken.parse(TOKEN),
                TunnelSettings.DEFAULT_METRICS, protocol, grace, extra);
    }
}
