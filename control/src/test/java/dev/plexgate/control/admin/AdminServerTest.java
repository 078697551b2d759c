package dev.plexgate.control.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plexgate.agent.AgentState;
import dev.plexgate.agent.AgentStatus;
import dev.plexgate.proxy.ProxyServer;
import dev.plexgate.proxy.ProxySettings;
import dev.plexgate.proxy.events.EventLog;
import dev.plexgate.proxy.policy.IpLiterals;
import dev.plexgate.proxy.policy.Policy;
import dev.plexgate.proxy.testing.TestOrigin;
import dev.plexgate.proxy.upstream.UpstreamAddress;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin listener in this JVM, on port 0, in front of a real proxy and the test origin. */
final class AdminServerTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final InetSocketAddress LOOPBACK_ANY_PORT = new InetSocketAddress(IpLiterals.parse("127.0.0.1"), 0);
    private static final UUID TUNNEL_ID = UUID.fromString("0b9e5c4e-3f1d-4c55-9d0e-5a1f3c2b7e10");

    private final HttpClient client = HttpClient.newHttpClient();
    private final PrometheusMeterRegistry meters = MetricsExport.newRegistry();
    private final AtomicReference<ReloadReport> nextReload = new AtomicReference<>();
    private TestOrigin origin;
    private ProxyServer proxy;
    private UpstreamProbe upstream;
    private AdminServer admin;

    @BeforeEach
    void start() throws Exception {
        origin = TestOrigin.start();
        Policy policy = new Policy(List.of(), List.of(), false, userAgent -> false, meters);
        proxy = ProxyServer.start(ProxySettings.defaults(LOOPBACK_ANY_PORT,
                new UpstreamAddress("127.0.0.1", origin.port())), policy, EventLog.disabled());
        MetricsExport.bindProxy(proxy, meters);
        upstream = new UpstreamProbe(() -> proxy.settings().upstream(), Duration.ofMillis(100), meters);
        upstream.start();
        admin = AdminServer.start(LOOPBACK_ANY_PORT, new Service(proxy, meters, nextReload), meters, upstream);
    }

    @AfterEach
    void stop() throws Exception {
        admin.close();
        upstream.close();
        if (proxy.listening()) {
            proxy.close();
        }
        origin.close();
    }

    @Test
    void metrics_arePrometheusText_withThePlexgateMetersAndTheJvms() throws Exception {
        assertThat(throughProxy("/identity").statusCode()).isEqualTo(200);
        await().atMost(DEADLINE).until(() -> upstream.last().reachable());

        HttpResponse<String> metrics = get("/metrics");

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(metrics.body())
                .contains("# TYPE plexgate_requests_total counter")
                .contains("plexgate_requests_total{action=\"allow\",rule=\"\"} 1.0")
                .contains("plexgate_active_connections")
                .contains("plexgate_upstream_up 1.0")
                .contains("jvm_memory_used_bytes{")
                .contains("jvm_gc_")
                .contains("jvm_threads_live_threads")
                .contains("jvm_classes_loaded_classes")
                .contains("process_uptime_seconds")
                .contains("system_cpus")
                .contains("netty_allocator_memory_used_bytes{area=\"direct\"}");
        Promtool.assertClean(metrics.body());
    }

    @Test
    void status_describesTheService() throws Exception {
        assertThat(throughProxy("/identity").statusCode()).isEqualTo(200);
        await().atMost(DEADLINE).until(() -> upstream.last().reachable());

        HttpResponse<String> response = get("/status");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode status = new ObjectMapper().readTree(response.body());
        assertThat(status.get("version").asText()).isEqualTo("1.2.3");
        assertThat(status.get("uptime_seconds").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(status.at("/config/file").asText()).isEqualTo("/etc/plexgate/plexgate.yml");
        assertThat(status.at("/config/last_reload/result").asText()).isEqualTo("success");
        assertThat(status.at("/config/last_reload/trigger").asText()).isEqualTo("start");
        assertThat(status.at("/config/last_reload/error").isNull()).isTrue();
        assertThat(status.at("/listener/address").asText()).isEqualTo("127.0.0.1:" + proxy.localAddress().getPort());
        assertThat(status.at("/listener/listening").asBoolean()).isTrue();
        assertThat(status.at("/upstream/address").asText()).isEqualTo("http://127.0.0.1:" + origin.port());
        assertThat(status.at("/upstream/reachable").asBoolean()).isTrue();
        assertThat(status.at("/upstream/plex_version").asText()).isEqualTo("1.40.0.0000-test");
        assertThat(status.at("/upstream/machine_id").asText()).isEqualTo("test-machine-id");
        assertThat(status.at("/tunnel/state").asText()).isEqualTo("CONNECTED");
        assertThat(status.at("/tunnel/ready_connections").asInt()).isEqualTo(4);
        assertThat(status.at("/tunnel/tunnel_id").asText()).isEqualTo(TUNNEL_ID.toString());
        assertThat(status.at("/requests/allow").asLong()).isEqualTo(1);
        assertThat(status.at("/top_clients_last_hour/0/client").asText()).as("no allow-list here").isEqualTo("unknown");
        assertThat(status.at("/top_clients_last_hour/0/bytes").asLong())
                .isEqualTo(TestOrigin.IDENTITY_XML.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    }

    @Test
    void ready_followsTheUpstream() throws Exception {
        await().atMost(DEADLINE).until(() -> get("/ready").statusCode() == 200);
        assertThat(get("/ready").body()).isEqualTo("ready\n");

        origin.stop();

        await().atMost(DEADLINE).until(() -> get("/ready").statusCode() == 503);
        assertThat(get("/ready").body()).isEqualTo("not ready: Plex does not answer /identity (connection refused)\n");
        assertThat(get("/metrics").body()).contains("plexgate_upstream_up 0.0");
    }

    @Test
    void ready_isNotWhileTheProxyIsStopped() throws Exception {
        await().atMost(DEADLINE).until(() -> get("/ready").statusCode() == 200);

        proxy.close();

        HttpResponse<String> ready = get("/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).isEqualTo("not ready: the proxy is not listening\n");
    }

    @Test
    void reload_answersWithTheOutcome() throws Exception {
        nextReload.set(new ReloadReport(Instant.now(), "POST /reload", true, "reloaded plexgate.yml"));
        HttpResponse<String> applied = post("/reload");
        assertThat(applied.statusCode()).isEqualTo(200);
        assertThat(applied.body()).isEqualTo("reloaded plexgate.yml\n");

        nextReload.set(new ReloadReport(Instant.now(), "POST /reload", false, "rejected:\nplexgate.yml:1:1: bad"));
        HttpResponse<String> rejected = post("/reload");
        assertThat(rejected.statusCode()).isEqualTo(409);
        assertThat(rejected.body()).isEqualTo("rejected:\nplexgate.yml:1:1: bad\n");
    }

    @Test
    void wrongMethodOrPath_isRefused() throws Exception {
        HttpResponse<String> getReload = get("/reload");
        assertThat(getReload.statusCode()).isEqualTo(405);
        assertThat(getReload.headers().firstValue("Allow")).hasValue("POST");
        assertThat(post("/status").statusCode()).isEqualTo(405);
        assertThat(get("/admin").statusCode()).isEqualTo(404);
    }

    @Test
    void identityAttributes_areReadFromTheMediaContainer() {
        assertThat(UpstreamProbe.mediaContainer(TestOrigin.IDENTITY_XML))
                .containsEntry("version", "1.40.0.0000-test")
                .containsEntry("machineIdentifier", "test-machine-id");
        assertThat(UpstreamProbe.mediaContainer("<html>not Plex</html>")).isEmpty();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(adminUri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(adminUri(path)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI adminUri(String path) {
        return URI.create("http://127.0.0.1:" + admin.localAddress().getPort() + path);
    }

    private HttpResponse<String> throughProxy(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.localAddress().getPort() + path))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A service that started at the epoch of the test, with a connected tunnel and a scripted reload. */
    private record Service(ProxyServer proxy, MeterRegistry meters, AtomicReference<ReloadReport> nextReload)
            implements RunningService {

        @Override
        public String version() {
            return "1.2.3";
        }

        @Override
        public Instant started() {
            return Instant.now().minusSeconds(5);
        }

        @Override
        public Path configFile() {
            return Path.of("/etc/plexgate/plexgate.yml");
        }

        @Override
        public AgentStatus tunnel() {
            return new AgentStatus(AgentState.CONNECTED, Instant.now(), 0, null, 4, null, TUNNEL_ID, null);
        }

        @Override
        public ReloadReport lastReload() {
            return new ReloadReport(Instant.now(), "start", true, "loaded");
        }

        @Override
        public ReloadReport reload(String trigger) {
            return nextReload.get();
        }
    }
}
