package dev.plexgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plexgate.proxy.events.EventLog;
import dev.plexgate.proxy.events.EventLogSettings;
import dev.plexgate.proxy.policy.BlockResponse;
import dev.plexgate.proxy.policy.BotClassifier;
import dev.plexgate.proxy.policy.Cidr;
import dev.plexgate.proxy.policy.CustomRule;
import dev.plexgate.proxy.policy.Policy;
import dev.plexgate.proxy.policy.RuleAction;
import dev.plexgate.proxy.policy.SkipPhase;
import dev.plexgate.proxy.policy.rules.CompileContext;
import dev.plexgate.proxy.policy.rules.RulesCompiler;
import dev.plexgate.proxy.testing.RawHttpClient;
import dev.plexgate.proxy.testing.RawResponse;
import dev.plexgate.proxy.testing.TestOrigin;
import dev.plexgate.proxy.upstream.UpstreamAddress;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The policy on the wire: blocked requests never reach Plex, and each decision leaves its event. */
final class PolicyEnforcementTest {

    private static final BotClassifier BOTS = ua -> ua.contains("GPTBot");
    private static final CompileContext CONTEXT = new CompileContext(
            Map.of("friends", Cidr.parse("203.0.113.0/24")::contains), Set.of("bots"), BOTS);

    @TempDir
    Path dir;
    private TestOrigin origin;
    private ProxyServer proxy;
    private EventLog events;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @BeforeEach
    void start() throws Exception {
        origin = TestOrigin.start();
        events = EventLog.open(new EventLogSettings(dir.resolve("events.jsonl"), 1024 * 1024, 1));
        Policy policy = new Policy(List.of(
                rule("Allow IPs to skip WAF", "ip.src in $friends and http.request.uri.path eq \"/identity\"",
                        RuleAction.SKIP, null),
                rule("Block bots", "cf.client.bot", RuleAction.BLOCK, null),
                rule("Restrict IPs", "not ip.src in $friends", RuleAction.BLOCK, null),
                rule("No admin", "starts_with(http.request.uri.path, \"/:/prefs\")", RuleAction.BLOCK,
                        new BlockResponse(451, "{\"blocked\":true}", "application/json"))),
                List.of(), false, BOTS, meters, address -> address.getHostAddress().equals("203.0.113.7") ? "bob" : null);
        proxy = ProxyServer.start(TestTransport.defaults(new InetSocketAddress("127.0.0.1", 0),
                new UpstreamAddress("127.0.0.1", origin.port())), policy, events, meters);
    }

    @AfterEach
    void stop() throws InterruptedException {
        proxy.close();
        events.close();
        origin.close();
    }

    private static CustomRule rule(String name, String expression, RuleAction action, BlockResponse block) {
        try {
            return new CustomRule(name, RulesCompiler.compile(expression, CONTEXT), action, block, Set.of(SkipPhase.CURRENT));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private RawResponse get(String path, String client, String userAgent) throws Exception {
        try (RawHttpClient raw = new RawHttpClient(proxy.localAddress().getPort())) {
            raw.send("GET " + path + " HTTP/1.1\r\nHost: plex.example.com\r\nCF-Connecting-IP: " + client
                    + "\r\nCF-Ray: 8a1b2c3d4e5f6789-AMS\r\nUser-Agent: " + userAgent + "\r\n\r\n");
            return raw.readResponse();
        }
    }

    @Test
    void stranger_getsTheBlockPage_andPlexSeesNothing() throws Exception {
        RawResponse response = get("/library/sections?X-Plex-Token=secret99", "198.51.100.9", "Plex/1.0");

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.bodyText()).contains("Restrict IPs").contains("8a1b2c3d4e5f6789-AMS");
        assertThat(response.header("cache-control")).isEqualTo("no-store, private");
        assertThat(origin.requestCount()).isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(dir.resolve("events.jsonl"))
                && Files.readString(dir.resolve("events.jsonl")).contains("Restrict IPs"));
        String line = Files.readString(dir.resolve("events.jsonl")).strip();
        assertThat(line).contains("\"action\":\"block\"", "\"status\":403", "\"client\":\"198.51.100.9\"",
                "\"ray\":\"8a1b2c3d4e5f6789-AMS\"", "X-Plex-Token=REDACTED").doesNotContain("secret99");
    }

    @Test
    void friend_isServed_andASkipIsRecorded() throws Exception {
        assertThat(get("/identity", "203.0.113.7", "Plex/1.0").bodyText()).isEqualTo(TestOrigin.IDENTITY_XML);
        assertThat(get("/status/200", "203.0.113.7", "Plex/1.0").status()).isEqualTo(200);
        assertThat(origin.requestCount()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(dir.resolve("events.jsonl"))
                && Files.readString(dir.resolve("events.jsonl")).contains("\"action\":\"skip\""));
        assertThat(Files.readAllLines(dir.resolve("events.jsonl"))).as("only the matching request left an event")
                .hasSize(1);
    }

    @Test
    void bytesSent_areCountedPerNamedClient() throws Exception {
        get("/identity", "203.0.113.7", "Plex/1.0");
        get("/identity", "203.0.113.8", "Plex/1.0");
        double identity = TestOrigin.IDENTITY_XML.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        assertThat(meters.get("plexgate.client.sent").tag("client", "bob").counter().count()).isEqualTo(identity);
        assertThat(meters.get("plexgate.client.sent").tag("client", "unknown").counter().count()).isEqualTo(identity);
    }

    @Test
    void bytesSent_areCountedPerClient_whenClientsTakeTurnsOnOneConnection() throws Exception {
        try (RawHttpClient raw = new RawHttpClient(proxy.localAddress().getPort())) {
            for (String client : List.of("203.0.113.7", "203.0.113.8", "203.0.113.8", "203.0.113.7", "203.0.113.8")) {
                raw.send("GET /identity HTTP/1.1\r\nHost: plex.example.com\r\nCF-Connecting-IP: " + client
                        + "\r\nUser-Agent: Plex/1.0\r\n\r\n");
                assertThat(raw.readResponse().status()).isEqualTo(200);
            }
        }
        double identity = TestOrigin.IDENTITY_XML.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        assertThat(meters.get("plexgate.client.sent").tag("client", "bob").counter().count()).isEqualTo(2 * identity);
        assertThat(meters.get("plexgate.client.sent").tag("client", "unknown").counter().count()).isEqualTo(3 * identity);
    }

    @Test
    void everyAnsweredExchange_isTimedByMethodAndStatus() throws Exception {
        get("/identity", "203.0.113.7", "Plex/1.0");
        get("/identity", "198.51.100.9", "Plex/1.0");
        assertThat(meters.get("plexgate.http.server.requests").tag("method", "GET").tag("status", "200").timer().count())
                .isEqualTo(1);
        assertThat(meters.get("plexgate.http.server.requests").tag("method", "GET").tag("status", "403").timer().count())
                .as("block pages are answers too").isEqualTo(1);
    }

    @Test
    void failedConnectsToPlex_areCounted() throws Exception {
        origin.stop();
        assertThat(get("/identity", "203.0.113.7", "Plex/1.0").status()).isEqualTo(502);
        assertThat(meters.get("plexgate.upstream.connect.errors").counter().count()).isEqualTo(1);
    }

    @Test
    void friendsBot_isBlocked() throws Exception {
        RawResponse response = get("/status/200", "203.0.113.7", "Mozilla/5.0 (compatible; GPTBot/1.1)");
        assertThat(response.status()).isEqualTo(403);
        assertThat(response.bodyText()).contains("Block bots");
        assertThat(origin.requestCount()).isZero();
    }

    @Test
    void configuredContent_andStatus_areSentAsGiven() throws Exception {
        RawResponse response = get("/:/prefs", "203.0.113.7", "Plex/1.0");
        assertThat(response.status()).isEqualTo(451);
        assertThat(response.header("content-type")).isEqualTo("application/json");
        assertThat(response.bodyText()).isEqualTo("{\"blocked\":true}");
    }

    @Test
    void blockedRequest_keepsTheConnectionForTheNext() throws Exception {
        try (RawHttpClient raw = new RawHttpClient(proxy.localAddress().getPort())) {
            raw.send("GET / HTTP/1.1\r\nHost: p\r\nCF-Connecting-IP: 198.51.100.9\r\n\r\n");
            assertThat(raw.readResponse().status()).isEqualTo(403);
            raw.send("GET /identity HTTP/1.1\r\nHost: p\r\nCF-Connecting-IP: 203.0.113.9\r\n\r\n");
            assertThat(raw.readResponse().status()).isEqualTo(200);
        }
    }

    @Test
    void untrustedPeer_cannotClaimAFriendsAddress() throws Exception {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.bind(new InetSocketAddress("127.0.0.2", 0));
            socket.connect(proxy.localAddress());
            socket.getOutputStream().write(("GET /identity HTTP/1.1\r\nHost: p\r\nCF-Connecting-IP: 203.0.113.7\r\n"
                    + "Connection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("HTTP/1.1 403").contains("Restrict IPs");
        }
        assertThat(origin.requestCount()).isZero();
    }

    @Test
    void reload_appliesToNewRequests() throws Exception {
        assertThat(get("/status/200", "198.51.100.9", "Plex/1.0").status()).isEqualTo(403);
        proxy.reload(proxy.settings(), Policy.allowAll());
        assertThat(get("/status/200", "198.51.100.9", "Plex/1.0").status()).isEqualTo(200);
    }
}
