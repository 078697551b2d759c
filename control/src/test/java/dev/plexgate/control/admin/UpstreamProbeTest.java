package dev.plexgate.control.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plexgate.proxy.testing.TestOrigin;
import dev.plexgate.proxy.testing.TestPki;
import dev.plexgate.proxy.testing.TestPki.Issued;
import dev.plexgate.proxy.tls.UpstreamTls;
import dev.plexgate.proxy.upstream.UpstreamAddress;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.ssl.SslContextBuilder;
import java.util.List;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The probe against an {@code https://} Plex: a test origin serving a certificate of its own CA for
 * a plex.direct name while listening on 127.0.0.1, verified exactly as the proxy verifies it.
 */
final class UpstreamProbeTest {

    private static final String PLEX_NAME = "127-0-0-1.0123456789abcdef.plex.direct";

    private final TestPki pki = TestPki.create("origin CA");
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private TestOrigin origin;
    private UpstreamProbe probe;

    @BeforeEach
    void startOrigin() throws SSLException {
        Issued plex = pki.server(PLEX_NAME);
        origin = TestOrigin.startTls(SslContextBuilder.forServer(plex.key(), plex.certificate(), pki.caCertificate())
                .build());
    }

    @AfterEach
    void stop() {
        if (probe != null) {
            probe.close();
        }
        origin.close();
    }

    @Test
    void caAndServerName_verified_plexIsUp() {
        UpstreamHealth health = probeOnce(new UpstreamTls(List.of(pki.caCertificate()), PLEX_NAME, false));

        assertThat(health.reachable()).isTrue();
        assertThat(health.plexVersion()).isEqualTo("1.40.0.0000-test");
        assertThat(health.machineId()).isEqualTo("test-machine-id");
        assertThat(meters.get("plexgate.upstream.up").gauge().value()).isEqualTo(1.0);
    }

    @Test
    void anotherServerName_isDown_namingTheMismatch() {
        UpstreamHealth health = probeOnce(new UpstreamTls(List.of(pki.caCertificate()), "other.plex.direct", false));

        assertThat(health.reachable()).isFalse();
        assertThat(health.problem()).startsWith("TLS handshake failed: ").contains("other.plex.direct");
        assertThat(meters.get("plexgate.upstream.up").gauge().value()).isZero();
        assertThat(origin.requestCount()).isZero();
    }

    @Test
    void untrustedCa_isDown() {
        UpstreamHealth health = probeOnce(new UpstreamTls(List.of(TestPki.create("another CA").caCertificate()),
                PLEX_NAME, false));

        assertThat(health.reachable()).isFalse();
        assertThat(health.problem()).startsWith("TLS handshake failed: ");
        assertThat(origin.requestCount()).isZero();
    }

    @Test
    void jdkTrustStore_doesNotKnowTheTestCa_isDown() {
        UpstreamHealth health = probeOnce(new UpstreamTls(List.of(), PLEX_NAME, false));

        assertThat(health.reachable()).isFalse();
        assertThat(health.problem()).startsWith("TLS handshake failed: ");
    }

    @Test
    void insecureSkipVerify_plexIsUp() {
        assertThat(probeOnce(new UpstreamTls(List.of(), null, true)).reachable()).isTrue();
    }

    private UpstreamHealth probeOnce(UpstreamTls tls) {
        UpstreamAddress upstream = new UpstreamAddress("127.0.0.1", origin.port(), tls);
        probe = new UpstreamProbe(() -> upstream, UpstreamProbe.INTERVAL, meters);
        probe.probe();
        return probe.last();
    }
}
