package dev.plexgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plexgate.proxy.testing.RawHttpClient;
import dev.plexgate.proxy.testing.RawResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Malformed requests over real sockets: each gets its status and a closed connection, and the
 * origin never sees a request — the proof that nothing malformed reaches Plex. (The full table of
 * parser cases is {@code RequestValidationTest}; these are the ones a smuggler would try.)
 */
final class MalformedRequestTest {

    private static ProxyHarness harness;

    @BeforeAll
    static void start() throws InterruptedException {
        harness = ProxyHarness.start(s -> s.withLimits(new ProxySettings.Limits(
                s.limits().maxConnections(), 8192, 1024, s.limits().maxIdleUpstream())));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        harness.close();
    }

    @BeforeEach
    void forget() {
        harness.origin.reset();
    }

    @ParameterizedTest(name = "{index}: {0}")
    @CsvSource(delimiter = '|', textBlock = """
            CL and TE                 | POST /upload HTTP/1.1\\r\\nHost: p\\r\\nContent-Length: 4\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n | 400
            two Content-Lengths       | POST /upload HTTP/1.1\\r\\nHost: p\\r\\nContent-Length: 4\\r\\nContent-Length: 5\\r\\n\\r\\nabcd | 400
            invalid Content-Length    | POST /upload HTTP/1.1\\r\\nHost: p\\r\\nContent-Length: 0x4\\r\\n\\r\\nabcd | 400
            invalid first chunk size  | POST /upload HTTP/1.1\\r\\nHost: p\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n4x\\r\\nabcd\\r\\n0\\r\\n\\r\\n | 400
            obs-fold                  | GET /identity HTTP/1.1\\r\\nHost: p\\r\\nX-A: b\\r\\n c\\r\\n\\r\\n | 400
            bare LF                   | GET /identity HTTP/1.1\\nHost: p\\n\\n | 400
            control character         | GET /identity HTTP/1.1\\r\\nHost: p\\r\\nX-A: b\\u0000c\\r\\n\\r\\n | 400
            no Host                   | GET /identity HTTP/1.1\\r\\n\\r\\n | 400
            oversized header block    | GET /identity HTTP/1.1\\r\\nHost: p\\r\\nX-Big: {BIG}\\r\\n\\r\\n | 431
            overlong request line     | GET /{BIG} HTTP/1.1\\r\\nHost: p\\r\\n\\r\\n | 414
            """)
    void malformedRequest_neverReachesTheOrigin(String name, String template, int status) throws Exception {
        try (RawHttpClient raw = new RawHttpClient(harness.port())) {
            raw.send(template.replace("\\r", "\r").replace("\\n", "\n").replace("\\u0000", "\u0000")
                    .replace("{BIG}", "a".repeat(10_000)));
            RawResponse response = raw.readResponse();
            assertThat(response.status()).isEqualTo(status);
            assertThat(response.header("connection")).isEqualToIgnoringCase("close");
            assertThat(raw.isClosedByPeer()).isTrue();
        }
        // A valid request afterwards shows the origin is reachable and counts from zero.
        try (RawHttpClient raw = new RawHttpClient(harness.port())) {
            raw.send("GET /identity HTTP/1.1\r\nHost: p\r\n\r\n");
            assertThat(raw.readResponse().status()).isEqualTo(200);
        }
        assertThat(harness.origin.requests()).extracting(r -> r.uri()).containsExactly("/identity");
    }
}
