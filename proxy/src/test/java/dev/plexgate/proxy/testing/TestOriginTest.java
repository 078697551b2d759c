package dev.plexgate.proxy.testing;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 15, unit = TimeUnit.SECONDS)
class TestOriginTest {

    private static final Duration DEADLINE = Duration.ofSeconds(5);
    private static final long PART_SIZE = 1000;

    private static TestOrigin origin;
    private static HttpClient http;

    @BeforeAll
    static void startOrigin() {
        origin = TestOrigin.start();
        http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1) // no h2c upgrade attempt: the origin speaks HTTP/1.1
                .connectTimeout(DEADLINE)
                .build();
    }

    @AfterAll
    static void stopOrigin() {
        origin.close();
    }

    @BeforeEach
    void forgetEarlierRequests() {
        origin.reset();
    }

    @Test
    void identityAnswersLikePlexAndMayBeCached() throws Exception {
        RawResponse response = get("/identity");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).isEqualTo("application/xml");
        assertThat(response.header("Cache-Control")).isEqualTo("public, max-age=3600");
        assertThat(response.bodyText()).isEqualTo(TestOrigin.IDENTITY_XML)
                .contains("machineIdentifier=\"test-machine-id\"");
    }

    @Test
    void wholePartIsTheGeneratedContent() throws Exception {
        long size = 3 * 1024 * 1024 + 17;
        RawResponse response = get(TestOrigin.partPath(size));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Length")).isEqualTo(String.valueOf(size));
        assertThat(response.header("Accept-Ranges")).isEqualTo("bytes");
        assertThat(response.header("Content-Type")).isEqualTo("video/x-matroska");
        assertThat(TestOrigin.sha256Hex(response.body())).isEqualTo(TestOrigin.contentSha256(0, size));
        assertThat(response.body()[12345]).isEqualTo(TestOrigin.contentByte(12345));
    }

    @Test
    void singleRangesAreServedAsPartialContent() throws Exception {
        assertRange("bytes=100-199", "bytes 100-199/1000", 100, 100);
        assertRange("bytes=990-", "bytes 990-999/1000", 990, 10);
        assertRange("bytes=900-5000", "bytes 900-999/1000", 900, 100);
        assertRange("bytes=-300", "bytes 700-999/1000", 700, 300);
        assertRange("bytes=-5000", "bytes 0-999/1000", 0, 1000);
    }

    @Test
    void rangesBeyondTwoGibibytesWork() throws Exception {
        long size = 3L * 1024 * 1024 * 1024;
        assertRangeOf(size, "bytes=" + (size - 100) + "-", "bytes " + (size - 100) + "-" + (size - 1) + "/" + size,
                size - 100, 100);
    }

    @Test
    void multipleRangesComeBackAsMultipartByteranges() throws Exception {
        RawResponse response = getWith(TestOrigin.partPath(PART_SIZE), "Range: bytes=0-9,20-29,-5");

        assertThat(response.status()).isEqualTo(206);
        assertThat(response.header("Content-Type"))
                .isEqualTo("multipart/byteranges; boundary=" + TestOrigin.MULTIPART_BOUNDARY);
        assertThat(response.header("Content-Range")).isNull();
        assertThat(response.header("Content-Length")).isEqualTo(String.valueOf(response.body().length));
        List<BytePart> parts = parseByteRanges(response);
        assertThat(parts).extracting(BytePart::contentRange)
                .containsExactly("bytes 0-9/1000", "bytes 20-29/1000", "bytes 995-999/1000");
        assertThat(parts).extracting(BytePart::contentType).containsOnly("video/x-matroska");
        assertThat(parts.get(0).data()).isEqualTo(TestOrigin.contentBytes(0, 10));
        assertThat(parts.get(1).data()).isEqualTo(TestOrigin.contentBytes(20, 10));
        assertThat(parts.get(2).data()).isEqualTo(TestOrigin.contentBytes(995, 5));
    }

    @Test
    void unsatisfiableRangesGet416WithTheSize() throws Exception {
        for (String range : List.of("bytes=1000-", "bytes=5000-6000", "bytes=-0")) {
            RawResponse response = getWith(TestOrigin.partPath(PART_SIZE), "Range: " + range);

            assertThat(response.status()).as(range).isEqualTo(416);
            assertThat(response.header("Content-Range")).as(range).isEqualTo("bytes */1000");
        }
    }

    @Test
    void invalidRangeSyntaxIsIgnored() throws Exception {
        RawResponse response = getWith(TestOrigin.partPath(PART_SIZE), "Range: bytes=20-10");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).hasSize((int) PART_SIZE);
    }

    @Test
    void headOfAGibibytePartHasItsLengthAndNoBody() throws Exception {
        long size = 1024L * 1024 * 1024;
        try (RawHttpClient client = new RawHttpClient(origin.port())) {
            RawResponse head = client.send("HEAD " + TestOrigin.partPath(size) + " HTTP/1.1\r\nHost: origin\r\n\r\n")
                    .readResponse(true);
            // The connection is still in step after a HEAD answer: the next response parses.
            RawResponse next = client.send("GET /identity HTTP/1.1\r\nHost: origin\r\n\r\n").readResponse();

            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(size));
            assertThat(head.body()).isEmpty();
            assertThat(next.status()).isEqualTo(200);
        }
    }

    @Test
    void aStalledReaderDoesNotMakeTheOriginBufferTheBody() throws Exception {
        long twoGibibytes = 2L * 1024 * 1024 * 1024;
        int mebibyte = 1024 * 1024;
        try (RawHttpClient client = new RawHttpClient(origin.port())) {
            client.send(request(TestOrigin.partPath(twoGibibytes)));
            assertThat(client.readResponseHead().header("Content-Length")).isEqualTo(String.valueOf(twoGibibytes));
            assertThat(client.readBytes(mebibyte)).isEqualTo(TestOrigin.contentBytes(0, mebibyte));

            // Without backpressure the origin would now generate gigabytes into its outbound buffer.
            if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider allocator) {
                await().during(Duration.ofMillis(500)).atMost(DEADLINE).until(() ->
                        allocator.metric().usedDirectMemory() + allocator.metric().usedHeapMemory() < 64L << 20);
            }
            assertThat(client.readBytes(mebibyte)).isEqualTo(TestOrigin.contentBytes(mebibyte, mebibyte));
        }
    }

    @Test
    void uploadHashesTheBodyAndHonoursExpectContinueFromTheJdkClient() throws Exception {
        byte[] body = randomBytes(1024 * 1024 + 3);
        HttpRequest request = HttpRequest.newBuilder(origin.uri("/upload"))
                .expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .timeout(DEADLINE)
                .build();

        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(response.body())
                .isEqualTo("{\"bytes\":" + body.length + ",\"sha256\":\"" + TestOrigin.sha256Hex(body) + "\"}");
        assertThat(origin.continuesSent()).isEqualTo(1);
        assertThat(origin.lastRequest().header("Expect")).isEqualToIgnoringCase("100-continue");
    }

    @Test
    void uploadSendsContinueOnTheHeadBeforeAnyBodyArrives() throws Exception {
        try (RawHttpClient client = new RawHttpClient(origin.port())) {
            client.send("POST /upload HTTP/1.1\r\nHost: origin\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            RawResponse interim = client.readResponse();
            RawResponse answer = client.send("hello").readResponse();

            assertThat(interim.status()).isEqualTo(100);
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.bodyText()).isEqualTo(
                    "{\"bytes\":5,\"sha256\":\"" + TestOrigin.sha256Hex("hello".getBytes(UTF_8)) + "\"}");
            assertThat(origin.continuesSent()).isEqualTo(1);
        }
    }

    @Test
    void chunkedUploadWithoutExpectationGetsNoContinue() throws Exception {
        try (RawHttpClient client = new RawHttpClient(origin.port())) {
            RawResponse answer = client.send("PUT /upload HTTP/1.1\r\nHost: origin\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n").readResponse();

            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.bodyText()).isEqualTo(
                    "{\"bytes\":5,\"sha256\":\"" + TestOrigin.sha256Hex("abcde".getBytes(UTF_8)) + "\"}");
            assertThat(origin.continuesSent()).isZero();
        }
    }

    @Test
    void websocketGreetsAndEchoesTextAndBinaryFrames() throws Exception {
        BlockingQueue<Object> received = new LinkedBlockingQueue<>();
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket socket = http.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + origin.port() + "/:/websockets/notifications"),
                        new CollectingListener(received, closed))
                .get(5, TimeUnit.SECONDS);

        assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo(TestOrigin.WEBSOCKET_HELLO);
        socket.sendText("text frame", true).get(5, TimeUnit.SECONDS);
        assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("text frame");
        byte[] binary = randomBytes(3000);
        socket.sendBinary(ByteBuffer.wrap(binary), true).get(5, TimeUnit.SECONDS);
        assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo(binary);
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
        assertThat(closed.get(5, TimeUnit.SECONDS)).isEqualTo(WebSocket.NORMAL_CLOSURE);
        assertThat(origin.lastRequest().header("Upgrade")).isEqualToIgnoringCase("websocket");
    }

    @Test
    void slowResponseTricklesItsChunksAtTheInterval() throws Exception {
        try (RawHttpClient client = new RawHttpClient(origin.port())) {
            long start = System.nanoTime();
            client.send("GET /slow?chunks=3&interval_ms=150&size=8 HTTP/1.1\r\nHost: origin\r\n\r\n");
            RawResponse head = client.readResponseHead();
            List<Long> arrivals = new ArrayList<>();
            List<byte[]> chunks = new ArrayList<>();
            for (byte[] chunk = client.readChunk(); chunk != null; chunk = client.readChunk()) {
                arrivals.add(System.nanoTime());
                chunks.add(chunk);
            }

            assertThat(head.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(chunks).containsExactly(
                    TestOrigin.contentBytes(0, 8), TestOrigin.contentBytes(8, 8), TestOrigin.contentBytes(16, 8));
            assertTrickled(start, arrivals, Duration.ofMillis(150));
        }
    }

    @Test
    void eventStreamSendsNumberedEventsOverTimeThenEnds() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(origin.uri("/:/eventsource/notifications?interval_ms=150&count=3"))
                .timeout(DEADLINE)
                .build();

        long start = System.nanoTime();
        HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
        List<String> events = new ArrayList<>();
        List<Long> arrivals = new ArrayList<>();
        try (Stream<String> lines = response.body()) {
            lines.filter(line -> !line.isEmpty()).forEach(line -> {
                arrivals.add(System.nanoTime());
                events.add(line);
            });
        }

        assertThat(response.headers().firstValue("content-type")).hasValue("text/event-stream");
        assertThat(events).containsExactly("data: 1", "data: 2", "data: 3");
        assertTrickled(start, arrivals, Duration.ofMillis(150));
    }

    @Test
    void endlessEventStreamStopsWhenTheClientLeaves() throws Exception {
        try (RawHttpClient client = new RawHttpClient(origin.port())) {
            client.send("GET /:/eventsource/notifications?interval_ms=20 HTTP/1.1\r\nHost: origin\r\n\r\n");
            client.readResponseHead();
            for (int n = 1; n <= 3; n++) {
                assertThat(new String(client.readChunk(), UTF_8)).isEqualTo("data: " + n + "\n\n");
            }
        }
        await().atMost(DEADLINE).until(() -> origin.openConnectionCount() == 0);
    }

    @Test
    void delayAnswersAfterTheDelay() throws Exception {
        long start = System.nanoTime();
        RawResponse response = get("/delay?ms=200");

        assertThat(response.bodyText()).isEqualTo("delayed");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }

    @Test
    void resetCutsTheBodyShortWithAnRst() throws Exception {
        try (RawHttpClient client = new RawHttpClient(origin.port())) {
            client.send("GET /reset?after=1000 HTTP/1.1\r\nHost: origin\r\n\r\n");

            IncompleteResponseException incomplete =
                    catchThrowableOfType(IncompleteResponseException.class, client::readResponse);

            RawResponse partial = incomplete.partial();
            assertThat(partial.status()).isEqualTo(200);
            assertThat(partial.header("Content-Length")).isEqualTo(String.valueOf(TestOrigin.RESET_ANNOUNCED_LENGTH));
            assertThat(partial.body()).isEqualTo(TestOrigin.contentBytes(0, 1000));
            // A reset, not an orderly end of stream: an RST was sent instead of a FIN.
            assertThat(incomplete).hasCauseInstanceOf(SocketException.class);
        }
    }

    @Test
    void requestsAndConnectionsAreRecorded() throws Exception {
        int firstPort;
        try (RawHttpClient first = new RawHttpClient(origin.port());
             RawHttpClient second = new RawHttpClient(origin.port())) {
            firstPort = first.localPort();
            first.send("GET /identity HTTP/1.1\r\nHost: origin\r\nX-Plex-Client-Identifier: one\r\n\r\n").readResponse();
            first.send("GET /nowhere?x=1 HTTP/1.1\r\nHost: origin\r\n\r\n").readResponse();
            second.send("POST /upload HTTP/1.1\r\nHost: origin\r\nContent-Length: 0\r\n\r\n").readResponse();
        }

        List<RecordedRequest> requests = origin.awaitRequests(3, DEADLINE);

        assertThat(origin.requestCount()).isEqualTo(3);
        assertThat(origin.connectionCount()).isEqualTo(2);
        assertThat(requests).extracting(RecordedRequest::method).containsExactly("GET", "GET", "POST");
        assertThat(requests).extracting(RecordedRequest::uri).containsExactly("/identity", "/nowhere?x=1", "/upload");
        assertThat(requests.get(0).headers()).containsKeys("host", "x-plex-client-identifier");
        assertThat(requests.get(0).header("X-Plex-Client-Identifier")).isEqualTo("one");
        assertThat(requests.get(0).peer()).isEqualTo("127.0.0.1:" + firstPort);
        assertThat(origin.lastRequest().uri()).isEqualTo("/upload");
        assertThatThrownBy(() -> origin.awaitRequests(4, Duration.ofMillis(50))).isInstanceOf(AssertionError.class);
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (RawHttpClient client = new RawHttpClient(origin.port())) {
            client.send("GET /delay?ms=100 HTTP/1.1\r\nHost: origin\r\n\r\n"
                    + "GET /status/202 HTTP/1.1\r\nHost: origin\r\n\r\n");

            assertThat(client.readResponse().bodyText()).isEqualTo("delayed");
            assertThat(client.readResponse().status()).isEqualTo(202);
        }
    }

    @Test
    void echoHeadersReportsTheRequestAsReceived() throws Exception {
        try (RawHttpClient client = new RawHttpClient(origin.port())) {
            RawResponse response = client.send("GET /echo-headers?a=b HTTP/1.1\r\nHost: origin\r\n"
                    + "X-Dup: one\r\nx-dup: two\r\nX-Quote: say \"hi\"\r\n\r\n").readResponse();

            assertThat(response.header("Content-Type")).isEqualTo("application/json");
            assertThat(response.bodyText())
                    .startsWith("{\"_method\":\"GET\",\"_uri\":\"/echo-headers?a=b\",\"_version\":\"HTTP/1.1\","
                            + "\"_peer\":\"127.0.0.1:" + client.localPort() + "\"")
                    .contains("\"host\":[\"origin\"]", "\"x-dup\":[\"one\",\"two\"]", "\"x-quote\":[\"say \\\"hi\\\"\"]");
        }
    }

    @Test
    void statusBigHeadersAndNotFound() throws Exception {
        try (RawHttpClient client = new RawHttpClient(origin.port())) {
            RawResponse unavailable = client.send(request("/status/503")).readResponse();
            RawResponse noContent = client.send(request("/status/204")).readResponse();
            RawResponse big = client.send(request("/big-headers?n=50")).readResponse();
            RawResponse missing = client.send(request("/library/sections")).readResponse();

            assertThat(unavailable.status()).isEqualTo(503);
            assertThat(unavailable.bodyText()).isEqualTo("status 503\n");
            assertThat(noContent.status()).isEqualTo(204);
            assertThat(noContent.header("Content-Length")).isNull();
            assertThat(big.headers().keySet().stream().filter(name -> name.startsWith("x-big-header-"))).hasSize(50);
            assertThat(missing.status()).isEqualTo(404);
        }
    }

    @Test
    void malformedRequestsAreRejectedAndTheConnectionClosed() throws Exception {
        try (RawHttpClient client = new RawHttpClient(origin.port())) {
            RawResponse response = client.send("GET /identity HTTP/1.1\nHost: origin\n\n").readResponse();

            assertThat(response.status()).isEqualTo(400);
            assertThat(client.isClosedByPeer()).isTrue();
        }
    }

    @Test
    void http10GetsACloseDelimitedStream() throws Exception {
        try (RawHttpClient client = new RawHttpClient(origin.port())) {
            RawResponse response = client.send("GET /slow?chunks=2&interval_ms=10&size=4 HTTP/1.0\r\n\r\n")
                    .readResponse();

            assertThat(response.header("Transfer-Encoding")).isNull();
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(response.body()).isEqualTo(TestOrigin.contentBytes(0, 8));
            assertThat(client.isClosedByPeer()).isTrue();
        }
    }

    @Test
    void largeBodiesCanBeHashedWithoutHoldingThem() throws Exception {
        long size = 32L * 1024 * 1024;
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        try (RawHttpClient client = new RawHttpClient(origin.port());
             OutputStream sink = new DigestOutputStream(OutputStream.nullOutputStream(), sha256)) {
            RawResponse head = client.send(request(TestOrigin.partPath(size))).readResponse(false, sink);

            assertThat(head.status()).isEqualTo(200);
        }
        assertThat(HexFormat.of().formatHex(sha256.digest())).isEqualTo(TestOrigin.contentSha256(0, size));
    }

    @Test
    void closeConnectionsKeepsListeningButStopRefusesConnects() throws Exception {
        try (TestOrigin dying = TestOrigin.start(); RawHttpClient client = new RawHttpClient(dying.port())) {
            client.send(request("/identity")).readResponse();

            dying.closeConnections();
            assertThat(client.isClosedByPeer()).isTrue();
            assertThat(get(dying, "/identity").status()).isEqualTo(200);

            dying.stop();
            assertThatThrownBy(() -> new Socket("127.0.0.1", dying.port()).close()).isInstanceOf(ConnectException.class);
        }
    }

    // ---- helpers ----

    private record BytePart(String contentType, String contentRange, byte[] data) {
    }

    private static String request(String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: origin\r\n\r\n";
    }

    private static RawResponse get(String target) throws Exception {
        return get(origin, target);
    }

    private static RawResponse get(TestOrigin server, String target) throws Exception {
        try (RawHttpClient client = new RawHttpClient(server.port())) {
            return client.send(request(target)).readResponse();
        }
    }

    private static RawResponse getWith(String target, String headerLine) throws Exception {
        try (RawHttpClient client = new RawHttpClient(origin.port())) {
            return client.send("GET " + target + " HTTP/1.1\r\nHost: origin\r\n" + headerLine + "\r\n\r\n")
                    .readResponse();
        }
    }

    private static void assertRange(String range, String contentRange, long first, int length) throws Exception {
        assertRangeOf(PART_SIZE, range, contentRange, first, length);
    }

    private static void assertRangeOf(long size, String range, String contentRange, long first, int length)
            throws Exception {
        RawResponse response = getWith(TestOrigin.partPath(size), "Range: " + range);

        assertThat(response.status()).as(range).isEqualTo(206);
        assertThat(response.header("Content-Range")).as(range).isEqualTo(contentRange);
        assertThat(response.header("Content-Length")).as(range).isEqualTo(String.valueOf(length));
        assertThat(response.body()).as(range).isEqualTo(TestOrigin.contentBytes(first, length));
    }

    /** Splits a multipart/byteranges body (RFC 9110 §14.6) into its parts. */
    private static List<BytePart> parseByteRanges(RawResponse response) {
        String boundary = response.header("Content-Type").replaceFirst(".*boundary=", "");
        String delimiter = "--" + boundary;
        String body = new String(response.body(), ISO_8859_1);
        assertThat(body).startsWith(delimiter + "\r\n").endsWith("\r\n" + delimiter + "--\r\n");
        List<BytePart> parts = new ArrayList<>();
        int position = 0;
        while (!body.startsWith(delimiter + "--", position)) {
            int headersStart = position + delimiter.length() + 2;
            int headersEnd = body.indexOf("\r\n\r\n", headersStart);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line : body.substring(headersStart, headersEnd).split("\r\n")) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
            int dataEnd = body.indexOf("\r\n" + delimiter, headersEnd + 4);
            parts.add(new BytePart(headers.get("content-type"), headers.get("content-range"),
                    body.substring(headersEnd + 4, dataEnd).getBytes(ISO_8859_1)));
            position = dataEnd + 2;
        }
        return parts;
    }

    /**
     * Piece i (from 0) is due {@code (i + 1) * interval} after the request. Pieces can only be late,
     * never early, so the lower bounds are exact; the first arriving before the last is even due
     * shows nothing held the pieces back to deliver them together.
     */
    private static void assertTrickled(long startNanos, List<Long> arrivals, Duration interval) {
        for (int i = 0; i < arrivals.size(); i++) {
            assertThat(Duration.ofNanos(arrivals.get(i) - startNanos)).as("arrival of piece %d", i)
                    .isGreaterThanOrEqualTo(interval.multipliedBy(i + 1));
        }
        assertThat(Duration.ofNanos(arrivals.get(0) - startNanos)).as("arrival of the first piece")
                .isLessThan(interval.multipliedBy(arrivals.size()));
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return bytes;
    }

    /** Hands whole messages to a queue: strings for text, byte arrays for binary. */
    private static final class CollectingListener implements WebSocket.Listener {
        private final BlockingQueue<Object> received;
        private final CompletableFuture<Integer> closed;
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

        CollectingListener(BlockingQueue<Object> received, CompletableFuture<Integer> closed) {
            this.received = received;
            this.closed = closed;
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                received.add(text.toString());
                text.setLength(0);
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            binary.writeBytes(bytes);
            if (last) {
                received.add(binary.toByteArray());
                binary.reset();
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            closed.completeExceptionally(error);
        }
    }
}
