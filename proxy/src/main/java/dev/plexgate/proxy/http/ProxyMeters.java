package dev.plexgate.proxy.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.handler.codec.http.HttpMethod;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The request path's own meters (DESIGN §7): {@code plexgate_http_server_requests_seconds{method,
 * status}}, {@code plexgate_upstream_connect_errors_total} and
 * {@code plexgate_tls_handshake_failures_total}. Labels stay bounded: methods other
 * than the common ones are {@code OTHER}, and a status is one of the 500 codes 100 to 599 or
 * {@code other} (a broken origin may send any number). Timers are created once per label pair
 * and then found by index, without boxing or a lambda per exchange.
 */
public final class ProxyMeters {

    private static final List<HttpMethod> METHODS = List.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST,
            HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.OPTIONS, HttpMethod.PATCH);
    /** Buckets from a quick page to a long poll; a film's whole response lands past the last. */
    private static final Duration[] BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
        Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120)};

    private static final int FIRST_STATUS = 100;
    private static final int STATUSES = 500;

    private final MeterRegistry registry;
    /** By method (OTHER first, then {@link #METHODS}) and status (100 to 599, then other). */
    private final AtomicReferenceArray<Timer> exchanges = new AtomicReferenceArray<>((METHODS.size() + 1) * (STATUSES + 1));
    private final Counter upstreamConnectErrors;
    private final Counter tlsHandshakeFailures;

    public ProxyMeters(MeterRegistry registry) {
        this.registry = registry;
        this.upstreamConnectErrors = Counter.builder("plexgate.upstream.connect.errors")
                .description("Connections to Plex that failed or timed out")
                .register(registry);
        this.tlsHandshakeFailures = Counter.builder("plexgate.tls.handshake.failures")
                .description("TLS handshakes on the TLS listener that failed, client certificates refused included")
                .register(registry);
    }

    /** Records one answered exchange: from its request head to the end of its response. */
    void exchange(HttpMethod method, int status, long nanos) {
        int methodIndex = METHODS.indexOf(method);
        int statusIndex = status >= FIRST_STATUS && status < FIRST_STATUS + STATUSES ? status - FIRST_STATUS : STATUSES;
        int index = (methodIndex + 1) * (STATUSES + 1) + statusIndex;
        Timer timer = exchanges.get(index);
        if (timer == null) {
            // Registering again finds the same timer, so two loops racing here record into one.
            timer = Timer.builder("plexgate.http.server.requests")
                    .description("Exchanges from request head to response end, by method and status")
                    .tag("method", methodIndex < 0 ? "OTHER" : method.name())
                    .tag("status", statusIndex == STATUSES ? "other" : Integer.toString(status))
                    .serviceLevelObjectives(BUCKETS)
                    .register(registry);
            exchanges.set(index, timer);
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    void upstreamConnectError() {
        upstreamConnectErrors.increment();
    }

    void tlsHandshakeFailure() {
        tlsHandshakeFailures.increment();
    }
}
