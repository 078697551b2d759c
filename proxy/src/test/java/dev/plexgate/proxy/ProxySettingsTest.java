package dev.plexgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plexgate.proxy.upstream.UpstreamAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The defaults are part of the product: Plex's traffic shapes decide them (DESIGN §10). */
final class ProxySettingsTest {

    @Test
    void defaults_fitPlexsTraffic() {
        ProxySettings.Timeouts t = ProxySettings.Timeouts.DEFAULTS;
        assertThat(t.responseHeader()).as("long polls stay silent for tens of seconds").isGreaterThanOrEqualTo(Duration.ofSeconds(120));
        assertThat(t.streamIdle()).as("a paused player keeps its response").isGreaterThanOrEqualTo(Duration.ofHours(1));
        assertThat(t.keepAlive()).as("cloudflared's idle pool (90 s) closes first").isGreaterThan(Duration.ofSeconds(90));
        assertThat(t.keepAlive()).isLessThan(t.streamIdle());
        assertThat(t.requestHeader()).isLessThanOrEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void defaults_epoll_asDesignSays() {
        assertThat(ProxySettings.defaults(new InetSocketAddress("127.0.0.1", 32401), new UpstreamAddress("127.0.0.1", 32400))
                .transport()).as("io_uring is opt-in").isEqualTo(Transport.Kind.EPOLL);
    }

    @Test
    void timeouts_mustBePositive() {
        assertThatThrownBy(() -> new ProxySettings.Timeouts(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ZERO))
                .hasMessage("connect PT0S (expected: more than zero)");
    }

    @Test
    void limits_areRangeChecked() {
        assertThatThrownBy(() -> new ProxySettings.Limits(0, 8192, 8192, 1))
                .hasMessage("max_connections 0 (expected: 1 to 1000000)");
    }
}
