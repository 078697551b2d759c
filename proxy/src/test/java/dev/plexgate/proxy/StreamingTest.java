package dev.plexgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plexgate.proxy.testing.RawHttpClient;
import dev.plexgate.proxy.testing.RawResponse;
import dev.plexgate.proxy.testing.TestOrigin;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Bodies, ranges, uploads, websockets and event streams pass through unbuffered and byte-exact. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class StreamingTest {

    private static final long GIB = 1L << 30;
    private static ProxyHarness harness;

    @BeforeAll
    static void start() throws InterruptedException {
        harness = ProxyHarness.start();
    }

    private static java.util.function.UnaryOperator<ProxySettings> streamIdle(Duration idle) {
        return ProxyHarness.timeouts(t -> new ProxySettings.Timeouts(t.connect(), t.responseHeader(),
                t.requestHeader(), t.keepAlive(), idle, t.upstreamKeepAlive(), t.shutdown()));
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
    void singleRange_isPassedThroughByteExact() throws Exception {
        HttpResponse<byte[]> response = harness.client.send(HttpRequest.newBuilder(
                        harness.uri(TestOrigin.partPath(10_000_000))).header("Range", "bytes=1000-4999").build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(response.statusCode()).isEqualTo(206);
        assertThat(response.headers().firstValue("content-range")).hasValue("bytes 1000-4999/10000000");
        assertThat(response.body()).isEqualTo(TestOrigin.contentBytes(1000, 4000));
    }

    @Test
    void multiRange_isPassedThroughAsTheOriginSentIt() throws Exception {
        String path = TestOrigin.partPath(100_000);
        HttpRequest.Builder request = HttpRequest.newBuilder().header("Range", "bytes=0-9,500-599,-100");
        HttpResponse<byte[]> direct = harness.client.send(request.uri(harness.origin.uri(path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> proxied = harness.client.send(request.uri(harness.uri(path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(proxied.statusCode()).isEqualTo(206);
        assertThat(proxied.headers().firstValue("content-type")).isEqualTo(direct.headers().firstValue("content-type"));
        assertThat(proxied.body()).isEqualTo(direct.body());
    }

    @Test
    void gibibyteDownload_toAStalledReader_doesNotGrowTheProxysMemory() throws Exception {
        ByteBufAllocatorMetricProvider allocator = (ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT;
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(64 * 1024);
            socket.connect(new InetSocketAddress("127.0.0.1", harness.port()));
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + TestOrigin.partPath(GIB) + " HTTP/1.1\r\nHost: plex\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            byte[] head = readHead(in);
            assertThat(new String(head, StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200")
                    .containsIgnoringCase("content-length: " + GIB);

            // The reader pauses: backpressure must
            // stop the proxy reading from the origin instead of queueing the film in memory.
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20))
                    .until(() -> allocator.metric().usedDirectMemory() + allocator.metric().usedHeapMemory(),
                            used -> used < 32L * 1024 * 1024);

            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[256 * 1024];
            long received = 0;
            while (received < GIB) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, GIB - received));
                assertThat(n).as("body ended early at %d", received).isPositive();
                sha.update(buffer, 0, n);
                received += n;
            }
            assertThat(HexFormat.of().formatHex(sha.digest())).isEqualTo(TestOrigin.contentSha256(0, GIB));
        }
    }

    @Test
    void upload_streamsThroughWithItsHash() throws Exception {
        byte[] body = new byte[8 * 1024 * 1024];
        new Random(42).nextBytes(body);
        HttpResponse<String> response = harness.client.send(HttpRequest.newBuilder(harness.uri("/upload"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"bytes\":" + body.length + ",\"sha256\":\""
                + TestOrigin.sha256Hex(body) + "\"}");
    }

    @Test
    void chunkedUpload_streamsThrough() throws Exception {
        try (RawHttpClient raw = new RawHttpClient(harness.port())) {
            raw.send("POST /upload HTTP/1.1\r\nHost: plex\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n");
            RawResponse response = raw.readResponse();
            assertThat(response.bodyText()).isEqualTo("{\"bytes\":11,\"sha256\":\""
                    + TestOrigin.sha256Hex("hello world".getBytes(StandardCharsets.US_ASCII)) + "\"}");
        }
    }

    @Test
    void expectContinue_theOriginsContinueReachesTheClient() throws Exception {
        byte[] body = "a body sent only after 100 Continue".getBytes(StandardCharsets.US_ASCII);
        try (RawHttpClient raw = new RawHttpClient(harness.port())) {
            raw.send("PUT /upload HTTP/1.1\r\nHost: plex\r\nExpect: 100-continue\r\nContent-Length: " + body.length
                    + "\r\n\r\n");
            RawResponse interim = raw.readResponseHead();
            assertThat(interim.status()).isEqualTo(100);
            raw.send(body);
            RawResponse response = raw.readResponse();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).contains("\"bytes\":" + body.length);
        }
        assertThat(harness.origin.continuesSent()).isEqualTo(1);
    }

    @Test
    void websocket_isRelayedBothWays() throws Exception {
        BlockingQueue<String> texts = new LinkedBlockingQueue<>();
        BlockingQueue<ByteBuffer> binaries = new LinkedBlockingQueue<>();
        WebSocket socket = harness.client.newWebSocketBuilder()
                .header("X-Plex-Token", "secret-token")
                .buildAsync(java.net.URI.create("ws://127.0.0.1:" + harness.port() + "/:/websockets/notifications"),
                        new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                                texts.add(data.toString());
                                ws.request(1);
                                return null;
                            }

                            @Override
                            public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
                                ByteBuffer copy = ByteBuffer.allocate(data.remaining());
                                copy.put(data).flip();
                                binaries.add(copy);
                                ws.request(1);
                                return null;
                            }
                        })
                .get(5, TimeUnit.SECONDS);
        try {
            assertThat(texts.poll(5, TimeUnit.SECONDS)).isEqualTo(TestOrigin.WEBSOCKET_HELLO);
            socket.sendText("ping", true).get(5, TimeUnit.SECONDS);
            assertThat(texts.poll(5, TimeUnit.SECONDS)).isEqualTo("ping");
            byte[] payload = new byte[300_000];
            new Random(7).nextBytes(payload);
            socket.sendBinary(ByteBuffer.wrap(payload), true).get(5, TimeUnit.SECONDS);
            ByteBuffer echoed = ByteBuffer.allocate(payload.length);
            while (echoed.hasRemaining()) {
                ByteBuffer piece = binaries.poll(5, TimeUnit.SECONDS);
                assertThat(piece).as("echo arrived").isNotNull();
                echoed.put(piece);
            }
            assertThat(echoed.array()).isEqualTo(payload);
        } finally {
            // A failed close must not hide the assertion that failed before it.
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").handle((done, failure) -> done).get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void silentWebsocket_isClosedAfterStreamIdle() throws Exception {
        try (ProxyHarness shortIdle = ProxyHarness.start(streamIdle(Duration.ofMillis(300)))) {
            CompletableFuture<String> ended = new CompletableFuture<>();
            shortIdle.client.newWebSocketBuilder()
                    .buildAsync(java.net.URI.create("ws://127.0.0.1:" + shortIdle.port() + "/:/websockets/notifications"),
                            new WebSocket.Listener() {
                                @Override
                                public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
                                    ended.complete("closed " + status);
                                    return null;
                                }

                                @Override
                                public void onError(WebSocket ws, Throwable error) {
                                    ended.complete("cut: " + error);
                                }
                            })
                    .get(5, TimeUnit.SECONDS);
            // Nothing is sent after the origin's hello: the relay gives up after stream_idle.
            assertThat(ended.get(10, TimeUnit.SECONDS)).isNotNull();
            await().atMost(Duration.ofSeconds(5)).until(() -> shortIdle.origin.openConnectionCount() == 0);
        }
    }

    @Test
    void eventStream_longerThanTheIdleTimeout_isNotCutWhileDataFlows() throws Exception {
        // 16 events 100 ms apart: 1.6 s in all, longer than stream_idle (1 s here).
        try (ProxyHarness shortIdle = ProxyHarness.start(streamIdle(Duration.ofSeconds(1)))) {
            HttpResponse<java.util.stream.Stream<String>> response = shortIdle.client.send(HttpRequest.newBuilder(
                            shortIdle.uri("/:/eventsource/notifications?interval_ms=100&count=16")).build(),
                    HttpResponse.BodyHandlers.ofLines());
            List<String> data = response.body().filter(line -> line.startsWith("data:")).toList();
            assertThat(data).hasSize(16);
        }
    }

    @Test
    void pausedReader_isClosedAfterStreamIdle() throws Exception {
        try (ProxyHarness shortIdle = ProxyHarness.start(streamIdle(Duration.ofMillis(300)));
                Socket socket = new Socket()) {
            socket.setReceiveBufferSize(32 * 1024);
            socket.connect(new InetSocketAddress("127.0.0.1", shortIdle.port()));
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + TestOrigin.partPath(256L << 20) + " HTTP/1.1\r\nHost: plex\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            readHead(in);
            // Not reading: nothing moves, and after stream_idle the proxy gives up on the exchange,
            // closing its connection to the origin too.
            await().atMost(Duration.ofSeconds(5)).until(() -> shortIdle.origin.openConnectionCount() == 0);
            long total = 0;
            byte[] buffer = new byte[64 * 1024];
            try {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    total += n;
                }
            } catch (java.io.IOException reset) {
                // a reset ends the body as surely as a close
            }
            assertThat(total).as("the body was cut short").isLessThan(256L << 20);
        }
    }

    private static byte[] readHead(InputStream in) throws java.io.IOException {
        java.io.ByteArrayOutputStream head = new java.io.ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            assertThat(b).as("head ended early").isNotNegative();
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toByteArray();
    }
}
