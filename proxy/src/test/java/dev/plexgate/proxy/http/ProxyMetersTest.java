package dev.plexgate.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.search.MeterNotFoundException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.codec.http.HttpMethod;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The request path's meters: bounded labels, one timer per method and status. */
class ProxyMetersTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ProxyMeters meters = new ProxyMeters(registry);

    @Test
    void exchanges_areTimedByMethodAndStatus_inOneTimerPerPair() {
        meters.exchange(HttpMethod.GET, 200, 1_000_000);
        meters.exchange(HttpMethod.GET, 200, 3_000_000);
        meters.exchange(HttpMethod.HEAD, 200, 1_000_000);
        meters.exchange(HttpMethod.GET, 404, 1_000_000);

        assertThat(count("GET", "200")).isEqualTo(2);
        assertThat(registry.get("plexgate.http.server.requests").tag("method", "GET").tag("status", "200").timer()
                .totalTime(TimeUnit.MILLISECONDS)).isEqualTo(4.0);
        assertThat(count("HEAD", "200")).isEqualTo(1);
        assertThat(count("GET", "404")).isEqualTo(1);
        assertThat(registry.get("plexgate.http.server.requests").timers()).hasSize(3);
    }

    @Test
    void uncommonMethods_areOther() {
        meters.exchange(HttpMethod.valueOf("PROPFIND"), 207, 1_000_000);

        assertThat(count("OTHER", "207")).isEqualTo(1);
    }

    @Test
    void statusesOutside100To599_areOther_andNeverCountAsAnotherMethodsStatus() {
        meters.exchange(HttpMethod.GET, 1200, 1_000_000);
        meters.exchange(HttpMethod.GET, 99, 1_000_000);
        meters.exchange(HttpMethod.GET, 600, 1_000_000);

        assertThat(count("GET", "other")).isEqualTo(3);
        assertThatThrownBy(() -> count("HEAD", "200")).isInstanceOf(MeterNotFoundException.class);
        assertThat(registry.get("plexgate.http.server.requests").timers()).hasSize(1);
    }

    private long count(String method, String status) {
        return registry.get("plexgate.http.server.requests").tag("method", method).tag("status", status).timer().count();
    }
}
