package dev.plexgate.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plexgate.proxy.http1.MalformedMessageException;
import dev.plexgate.proxy.http1.ResponseHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The framing of Plex's responses: what each body is, where it ends, and what breaks it. Every
 * well-formed case is also fed one byte at a time, since a response may arrive in any pieces.
 */
class ResponseDecoderTest {

    private final Queue<HttpMethod> methods = new ArrayDeque<>();

    @Test
    void contentLengthBody_endsAtItsLength_andTheNextResponseFollows() {
        String wire = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
                + "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
        for (boolean byteByByte : new boolean[] {false, true}) {
            List<Response> responses = decode(wire, byteByByte, HttpMethod.GET, HttpMethod.GET);
            assertThat(responses).extracting(Response::status).containsExactly(200, 404);
            assertThat(responses).extracting(Response::body).containsExactly("hello", "");
            assertThat(responses).allMatch(Response::complete);
        }
    }

    @Test
    void chunkedBody_isDechunked_withExtensionsAndTrailersDropped() {
        String wire = "\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=value\r\nhello\r\n1a\r\n, world, in three chunks!!\r\n0\r\nX-Trailer: t\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\nabc\n0\n\n";
        for (boolean byteByByte : new boolean[] {false, true}) {
            List<Response> responses = decode(wire, byteByByte, HttpMethod.GET, HttpMethod.GET);
            assertThat(responses).extracting(Response::body)
                    .containsExactly("hello, world, in three chunks!!", "abc");
            assertThat(responses).allMatch(Response::complete);
        }
    }

    @Test
    void bodyWithoutLength_runsUntilPlexCloses() {
        EmbeddedChannel channel = channel();
        channel.writeInbound(ascii("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nall of "));
        channel.writeInbound(ascii("this HTTP/1.1 200 OK\r\n"));
        Response open = drain(channel).get(0);
        assertThat(open.complete()).isFalse();
        channel.finish();
        Response closed = open.plus(drain(channel));
        assertThat(closed.body()).isEqualTo("all of this HTTP/1.1 200 OK\r\n");
        assertThat(closed.complete()).isTrue();
    }

    @Test
    void transferEncodingOtherThanChunked_alsoRunsUntilPlexCloses_whateverItsLength() {
        EmbeddedChannel channel = channel();
        channel.writeInbound(ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nContent-Length: 2\r\n\r\nabcdef"));
        Response open = drain(channel).get(0);
        assertThat(open.body()).isEqualTo("abcdef");
        assertThat(open.complete()).isFalse();
        channel.finish();
        assertThat(open.plus(drain(channel)).complete()).isTrue();
    }

    @Test
    void answersToHead_and204_and304_haveNoBody_whatTheirHeadsSay() {
        String wire = "HTTP/1.1 200 OK\r\nContent-Length: 1024\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "HTTP/1.1 204 No Content\r\nContent-Length: 7\r\n\r\n"
                + "HTTP/1.1 304 Not Modified\r\nContent-Length: 1024\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
        for (boolean byteByByte : new boolean[] {false, true}) {
            List<Response> responses = decode(wire, byteByByte,
                    HttpMethod.HEAD, HttpMethod.HEAD, HttpMethod.GET, HttpMethod.GET, HttpMethod.GET);
            assertThat(responses).extracting(Response::status).containsExactly(200, 200, 204, 304, 200);
            assertThat(responses).extracting(Response::body).containsExactly("", "", "", "", "ok");
            assertThat(responses).allMatch(Response::complete);
        }
    }

    @Test
    void interimResponses_endAtTheirHead_andDoNotUseUpARequest() {
        methods.add(HttpMethod.HEAD);
        EmbeddedChannel channel = channel();
        channel.writeInbound(ascii("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n"));
        List<Response> responses = drain(channel);
        assertThat(responses).extracting(Response::status).containsExactly(100, 103, 200);
        assertThat(responses).allMatch(Response::complete);
        assertThat(methods).isEmpty();
    }

    @Test
    void afterA101_theBytesPassOnAsTheyCame() {
        EmbeddedChannel channel = channel();
        channel.writeInbound(ascii("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\n\r\n\u0081\u0005hello"));
        assertThat(channel.<Object>readInbound()).isInstanceOf(ResponseHead.class);
        assertThat(channel.<Object>readInbound()).isSameAs(LastHttpContent.EMPTY_LAST_CONTENT);
        ByteBuf frame = channel.readInbound();
        assertThat(frame.toString(StandardCharsets.ISO_8859_1)).isEqualTo("\u0081\u0005hello");
        frame.release();
        channel.writeInbound(ascii("HTTP/1.1 200 OK\r\n\r\n"));
        ByteBuf more = channel.readInbound();
        assertThat(more.toString(StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 200 OK\r\n\r\n");
        more.release();
        channel.finishAndReleaseAll();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5 x\r\nhello\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1234567890abcdef\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloX\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\rX0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
        "HTTP/1.1 200 OK\r\nX-Folded: a\r\n b\r\n\r\n",
        "HTTP/1.1 2OO OK\r\n\r\n",
        "SSH-2.0-OpenSSH_9.2\r\n\r\n",
    })
    void brokenFraming_endsWithAFailedLastPiece_andLaterBytesAreIgnored(String wire) {
        EmbeddedChannel channel = channel();
        channel.writeInbound(ascii(wire));
        channel.writeInbound(ascii("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
        List<Object> messages = readAll(channel);
        Object last = messages.get(messages.size() - 1);
        assertThat(last).isInstanceOf(LastHttpContent.class);
        assertThat(((LastHttpContent) last).decoderResult().cause()).isInstanceOf(MalformedMessageException.class);
        assertThat(messages.stream().filter(m -> m instanceof LastHttpContent)).as("nothing after the failure").hasSize(1);
        channel.finish();
        assertThat(readAll(channel)).isEmpty();
    }

    @Test
    void headOver64KiB_isBroken_evenBeforeItEnds() {
        EmbeddedChannel channel = channel();
        channel.writeInbound(ascii("HTTP/1.1 200 OK\r\n"));
        String field = "X-Filler: " + "f".repeat(1000) + "\r\n";
        for (int i = 0; i < 70; i++) {
            channel.writeInbound(ascii(field));
        }
        List<Object> messages = readAll(channel);
        assertThat(messages).hasSize(1);
        assertThat(((LastHttpContent) messages.get(0)).decoderResult().cause().getMessage()).contains("64 KiB");
        channel.finishAndReleaseAll();
    }

    @Test
    void headJustUnder64KiB_isFine() {
        EmbeddedChannel channel = channel();
        StringBuilder head = new StringBuilder("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n");
        String field = "X-Filler: " + "f".repeat(1000) + "\r\n";
        while (head.length() + field.length() < ResponseDecoder.MAX_HEAD_SIZE) {
            head.append(field);
        }
        channel.writeInbound(ascii(head + "\r\n"));
        Response response = drain(channel).get(0);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.complete()).isTrue();
    }

    @Test
    void closeInTheMiddleOfAHead_isBroken() {
        EmbeddedChannel channel = channel();
        channel.writeInbound(ascii("HTTP/1.1 200 OK\r\nContent-Le"));
        assertThat(readAll(channel)).isEmpty();
        channel.finish();
        LastHttpContent failure = channel.readInbound();
        assertThat(failure.decoderResult().cause()).hasMessageContaining("middle of a response head");
    }

    @Test
    void closeBetweenResponses_isNothing_andCloseInTheMiddleOfABody_leavesItUnended() {
        EmbeddedChannel idle = channel();
        idle.writeInbound(ascii("\r\n"));
        idle.finish();
        assertThat(readAll(idle)).isEmpty();

        for (String cut : new String[] {
            "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab",
        }) {
            EmbeddedChannel channel = channel();
            channel.writeInbound(ascii(cut));
            channel.finish();
            Response response = drain(channel).get(0);
            assertThat(response.complete()).as(cut).isFalse();
            assertThat(response.body()).as(cut).isEqualTo("abc".substring(0, cut.endsWith("ab") ? 2 : 3));
        }
    }

    private EmbeddedChannel channel() {
        return new EmbeddedChannel(new ResponseDecoder(methods));
    }

    private List<Response> decode(String wire, boolean byteByByte, HttpMethod... requests) {
        methods.clear();
        methods.addAll(List.of(requests));
        EmbeddedChannel channel = channel();
        byte[] bytes = wire.getBytes(StandardCharsets.ISO_8859_1);
        if (byteByByte) {
            for (byte b : bytes) {
                channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
            }
        } else {
            channel.writeInbound(Unpooled.wrappedBuffer(bytes));
        }
        List<Response> responses = drain(channel);
        assertThat(channel.finish()).as("nothing after the last response").isFalse();
        return responses;
    }

    private static ByteBuf ascii(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
    }

    private static List<Object> readAll(EmbeddedChannel channel) {
        List<Object> messages = new ArrayList<>();
        Object message;
        while ((message = channel.readInbound()) != null) {
            messages.add(message);
        }
        return messages;
    }

    /** Groups the decoded messages into responses; a failed piece fails the test. */
    private static List<Response> drain(EmbeddedChannel channel) {
        List<Response> responses = new ArrayList<>();
        for (Object message : readAll(channel)) {
            if (message instanceof ResponseHead head) {
                responses.add(new Response(head.status(), new ByteArrayOutputStream(), new boolean[1]));
            } else {
                HttpContent content = (HttpContent) message;
                assertThat(content.decoderResult().isSuccess()).as("decoded cleanly").isTrue();
                Response current = responses.isEmpty()
                        ? new Response(-1, new ByteArrayOutputStream(), new boolean[1]) : responses.get(responses.size() - 1);
                if (responses.isEmpty()) {
                    responses.add(current);
                }
                byte[] bytes = new byte[content.content().readableBytes()];
                content.content().readBytes(bytes);
                current.bytes().writeBytes(bytes);
                current.ended()[0] |= content instanceof LastHttpContent;
                content.release();
            }
        }
        return responses;
    }

    private record Response(int status, ByteArrayOutputStream bytes, boolean[] ended) {
        String body() {
            return bytes.toString(StandardCharsets.ISO_8859_1);
        }

        boolean complete() {
            return ended[0];
        }

        /** This response continued by pieces decoded later (they come without a head). */
        Response plus(List<Response> later) {
            for (Response more : later) {
                bytes.writeBytes(more.bytes().toByteArray());
                ended[0] |= more.complete();
            }
            return this;
        }
    }
}
