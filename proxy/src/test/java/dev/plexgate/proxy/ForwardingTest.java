package dev.plexgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plexgate.proxy.testing.RawHttpClient;
import dev.plexgate.proxy.testing.RawResponse;
import dev.plexgate.proxy.testing.RecordedRequest;
import dev.plexgate.proxy.testing.TestOrigin;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What Plex receives and what the client gets back on ordinary requests. */
final class ForwardingTest {

    private static ProxyHarness harness;

    @BeforeAll
    static void start() throws InterruptedException {
        harness = ProxyHarness.start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        harness.close();
    }

    @BeforeEach
    void forget() {
        harness.origin.reset();
    }

    @Test
    void identity_isRelayedWithCacheHeadersReplaced() throws Exception {
        HttpResponse<String> response = harness.client.send(
                HttpRequest.newBuilder(harness.uri("/identity")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(TestOrigin.IDENTITY_XML);
        assertThat(response.headers().allValues("cache-control")).containsExactly("no-store, private");
        assertThat(response.headers().allValues("cdn-cache-control")).containsExactly("no-store");
        assertThat(response.headers().allValues("cloudflare-cdn-cache-control")).containsExactly("no-store");
    }

    @Test
    void cacheBypassOff_keepsTheOriginsCacheHeaders() throws Exception {
        try (ProxyHarness plain = ProxyHarness.start(s -> new ProxySettings(s.listen(), s.upstream(),
                s.trustedProxies(), s.clientIpHeader(), false, s.timeouts(), s.limits(), s.eventLoops(), s.transport(),
                s.listenTls()))) {
            HttpResponse<String> response = plain.client.send(
                    HttpRequest.newBuilder(plain.uri("/identity")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.headers().allValues("cache-control")).containsExactly("public, max-age=3600");
            assertThat(response.headers().firstValue("cdn-cache-control")).isEmpty();
        }
    }

    @Test
    void trustedPeer_cfConnectingIp_becomesForwardedForAndRealIp() throws Exception {
        harness.client.send(HttpRequest.newBuilder(harness.uri("/echo-headers"))
                .header("CF-Connecting-IP", "203.0.113.7")
                .header("X-Forwarded-For", "6.6.6.6, 203.0.113.7")
                .header("X-Forwarded-Proto", "https")
                .header("CF-Ray", "8a1b2c3d4e5f-AMS")
                .build(), HttpResponse.BodyHandlers.discarding());

        RecordedRequest seen = harness.origin.lastRequest();
        assertThat(seen.headerValues("x-forwarded-for")).containsExactly("203.0.113.7");
        assertThat(seen.headerValues("x-real-ip")).containsExactly("203.0.113.7");
        assertThat(seen.headerValues("x-forwarded-proto")).containsExactly("https");
        assertThat(seen.headerValues("x-forwarded-host")).containsExactly("127.0.0.1:" + harness.port());
        assertThat(seen.header("cf-ray")).as("cloudflared's headers pass from a trusted peer").isEqualTo("8a1b2c3d4e5f-AMS");
    }

    @Test
    void trustedPeer_withoutCfConnectingIp_isForwardedAsLoopback() throws Exception {
        harness.client.send(HttpRequest.newBuilder(harness.uri("/echo-headers"))
                .header("X-Forwarded-For", "203.0.113.7")
                .build(), HttpResponse.BodyHandlers.discarding());

        assertThat(harness.origin.lastRequest().headerValues("x-forwarded-for")).containsExactly("127.0.0.1");
    }

    @Test
    void untrustedPeer_claimsAreStrippedAndItsOwnAddressIsForwarded() throws Exception {
        String request = "GET /echo-headers HTTP/1.1\r\nHost: plex.example.com\r\nCF-Connecting-IP: 203.0.113.7\r\n"
                + "CF-IPCountry: NZ\r\nCF-Visitor: {\"scheme\":\"https\"}\r\nX-Forwarded-For: 203.0.113.7\r\n"
                + "X-Forwarded-Proto: https\r\nX-Real-IP: 203.0.113.7\r\nConnection: close\r\n\r\n";
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress("127.0.0.2", 0)); // any 127/8 address is local, only .1 is trusted
            socket.connect(new InetSocketAddress("127.0.0.1", harness.port()));
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            try (InputStream in = socket.getInputStream()) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200");
            }
        }

        RecordedRequest seen = harness.origin.lastRequest();
        assertThat(seen.headerValues("x-forwarded-for")).containsExactly("127.0.0.2");
        assertThat(seen.headerValues("x-real-ip")).containsExactly("127.0.0.2");
        assertThat(seen.headerValues("x-forwarded-proto")).containsExactly("http");
        assertThat(seen.hasHeader("cf-connecting-ip")).isFalse();
        assertThat(seen.hasHeader("cf-ipcountry")).isFalse();
        assertThat(seen.hasHeader("cf-visitor")).isFalse();
    }

    @Test
    void hopByHopHeaders_andTheOnesConnectionNames_areRemoved() throws Exception {
        try (RawHttpClient raw = new RawHttpClient(harness.port())) {
            raw.send("GET /echo-headers HTTP/1.1\r\nHost: plex\r\nConnection: keep-alive, X-Secret-Hop\r\n"
                    + "Keep-Alive: timeout=5\r\nTE: trailers\r\nProxy-Authorization: Basic Zm9vOmJhcg==\r\n"
                    + "X-Secret-Hop: 1\r\nX-Plex-Client-Identifier: abc\r\n\r\n");
            assertThat(raw.readResponse().status()).isEqualTo(200);
        }
        RecordedRequest seen = harness.origin.lastRequest();
        assertThat(seen.hasHeader("x-secret-hop")).isFalse();
        assertThat(seen.hasHeader("keep-alive")).isFalse();
        assertThat(seen.hasHeader("te")).isFalse();
        assertThat(seen.hasHeader("proxy-authorization")).isFalse();
        assertThat(seen.headerValues("connection")).doesNotContain("X-Secret-Hop");
        assertThat(seen.header("x-plex-client-identifier")).isEqualTo("abc");
    }

    @Test
    void keepAlive_reusesBothConnections() throws Exception {
        try (RawHttpClient raw = new RawHttpClient(harness.port())) {
            for (int i = 0; i < 5; i++) {
                raw.send("GET /identity HTTP/1.1\r\nHost: plex\r\n\r\n");
                RawResponse response = raw.readResponse();
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.bodyText()).isEqualTo(TestOrigin.IDENTITY_XML);
            }
        }
        assertThat(harness.origin.requestCount()).isEqualTo(5);
        assertThat(harness.origin.connectionCount()).as("one pooled upstream connection served all (or one from before)")
                .isLessThanOrEqualTo(1);
    }

    @Test
    void pipelinedRequests_areAnsweredInOrder() throws Exception {
        try (RawHttpClient raw = new RawHttpClient(harness.port())) {
            raw.send("GET /delay?ms=200 HTTP/1.1\r\nHost: plex\r\n\r\n"
                    + "GET /status/201 HTTP/1.1\r\nHost: plex\r\n\r\n"
                    + "GET /identity HTTP/1.1\r\nHost: plex\r\n\r\n");
            assertThat(raw.readResponse().bodyText()).isEqualTo("delayed");
            assertThat(raw.readResponse().status()).isEqualTo(201);
            assertThat(raw.readResponse().bodyText()).isEqualTo(TestOrigin.IDENTITY_XML);
        }
    }

    @Test
    void head_ofAChunkedResource_hasNoBody() throws Exception {
        try (RawHttpClient raw = new RawHttpClient(harness.port())) {
            raw.send("HEAD " + TestOrigin.partPath(1 << 20) + " HTTP/1.1\r\nHost: plex\r\n\r\n"
                    + "GET /identity HTTP/1.1\r\nHost: plex\r\n\r\n");
            RawResponse head = raw.readResponse(true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("content-length")).isEqualTo(String.valueOf(1 << 20));
            assertThat(raw.readResponse().bodyText()).as("the next response starts right after the head")
                    .isEqualTo(TestOrigin.IDENTITY_XML);
        }
    }

    /**
     * 204 and 304 end at their head whatever it says (RFC 9112 section 6.3): read as if a body
     * followed, the next response on the connection would be lost in it.
     */
    @Test
    void noContentAndNotModified_endAtTheirHead_andTheConnectionGoesOn() throws Exception {
        try (RawHttpClient raw = new RawHttpClient(harness.port())) {
            raw.send("GET /status/204 HTTP/1.1\r\nHost: plex\r\n\r\n"
                    + "GET /status/304 HTTP/1.1\r\nHost: plex\r\n\r\n"
                    + "GET /identity HTTP/1.1\r\nHost: plex\r\n\r\n");
            RawResponse noContent = raw.readResponse(true);
            assertThat(noContent.status()).isEqualTo(204);
            assertThat(noContent.header("content-length")).isNull();
            assertThat(noContent.header("transfer-encoding")).isNull();
            assertThat(raw.readResponse(true).status()).isEqualTo(304);
            assertThat(raw.readResponse().bodyText()).as("the next response starts right after the heads")
                    .isEqualTo(TestOrigin.IDENTITY_XML);
        }
        assertThat(harness.origin.connectionCount()).as("one connection to Plex served all (or one from before)")
                .isLessThanOrEqualTo(1);
    }

    @Test
    void http10Client_getsAnHttp10AnswerAndAClose() throws Exception {
        try (RawHttpClient raw = new RawHttpClient(harness.port())) {
            raw.send("GET /slow?chunks=2&interval_ms=1&size=10 HTTP/1.0\r\n\r\n");
            String all = new String(raw.readUntilClosed(), StandardCharsets.ISO_8859_1);
            assertThat(all).startsWith("HTTP/1.0 200");
            assertThat(all.toLowerCase()).doesNotContain("transfer-encoding");
            assertThat(all.substring(all.indexOf("\r\n\r\n") + 4)).hasSize(20);
        }
        assertThat(harness.origin.lastRequest().header("host")).isEqualTo("127.0.0.1:" + harness.origin.port());
    }

    @Test
    void unknownPath_statusIsRelayed() throws Exception {
        HttpResponse<String> response = harness.client.send(
                HttpRequest.newBuilder(harness.uri("/nope")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(404);
    }
}
