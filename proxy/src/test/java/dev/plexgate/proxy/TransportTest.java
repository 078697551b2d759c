package dev.plexgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plexgate.proxy.policy.Policy;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * plexgate.yml's {@code transport}: the kind asked for when the host provides it, the next one
 * down when not. Whether the proxy behaves the same on io_uring is the business of the whole
 * suite of this package, which the build runs once more on it (see {@link TestTransport}).
 */
final class TransportTest {

    @Test
    void nio_isEverywhere() {
        assertThat(Transport.Kind.NIO.unavailability()).isNull();
        assertThat(Transport.select(Transport.Kind.NIO).name()).isEqualTo("nio");
    }

    @Test
    void eachKind_itselfWhenAvailable_elseTheNextDown() {
        for (Transport.Kind kind : Transport.Kind.values()) {
            String expected = kind.unavailability() == null ? kind.configName()
                    : Transport.select(Transport.Kind.values()[kind.ordinal() + 1]).name();
            assertThat(Transport.select(kind).name()).as(kind.configName()).isEqualTo(expected);
        }
    }

    @Test
    void unavailableKinds_sayWhy() {
        for (Transport.Kind kind : Transport.Kind.values()) {
            if (Transport.select(kind).name().equals(kind.configName())) {
                assertThat(kind.unavailability()).as(kind.configName()).isNull();
            } else {
                assertThat(kind.unavailability()).as(kind.configName()).isNotBlank();
            }
        }
    }

    @Test
    void theProxy_servesOnTheTransportUnderTest() throws Exception {
        try (ProxyHarness harness = ProxyHarness.start()) {
            assertThat(harness.proxy.transport()).isEqualTo(Transport.select(TestTransport.KIND).name());
            if (TestTransport.KIND.unavailability() == null) {
                assertThat(harness.proxy.transport()).isEqualTo(TestTransport.KIND.configName());
            }
            HttpResponse<String> response = harness.client.send(
                    HttpRequest.newBuilder(harness.uri("/identity")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void reload_refusesAnotherTransport() throws Exception {
        try (ProxyHarness harness = ProxyHarness.start()) {
            ProxySettings running = harness.proxy.settings();
            Transport.Kind other = running.transport() == Transport.Kind.NIO ? Transport.Kind.EPOLL : Transport.Kind.NIO;

            assertThatThrownBy(() -> harness.proxy.reload(running.withTransport(other), Policy.allowAll()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("transport changed from " + running.transport().configName() + " to "
                            + other.configName() + ": restart plexgate to apply it");
            assertThat(harness.proxy.settings().transport()).isEqualTo(running.transport());
        }
    }
}
