package dev.plexgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The header lines must be byte for byte what Netty's own encoder writes, in every size case. */
class HeaderBlockEncoderTest {

    private final HeaderBlockEncoder encoder = new HeaderBlockEncoder();

    @Test
    void decodedHead_isWrittenAsNettyWritesIt() {
        HttpHeaders headers = decoded("HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/xml;charset=utf-8\r\n"
                + "Content-Length: 1024\r\nETag: \"6566f1b0-400\"\r\nX-Plex-Protocol: 1.0\r\n"
                + "Weird: caf\u00e9 \u00ff\r\n\r\n");
        headers.set(HttpHeaderNames.CACHE_CONTROL, AsciiString.cached("no-store, private"));

        assertThat(ours(headers)).isEqualTo(netty(headers))
                .startsWith("Server: nginx\r\nContent-Type: text/xml;charset=utf-8\r\n")
                .contains("Weird: caf\u00e9 \u00ff\r\n")
                .endsWith("cache-control: no-store, private\r\n");
    }

    @Test
    void charactersAboveLatin1_becomeQuestionMarks_neverTheirLowByte() {
        HttpHeaders headers = DefaultHttpHeadersFactory.headersFactory().withValidation(false).newHeaders();
        headers.add("X-Name", "a\u010Ab\u0d0dc\u2028");

        assertThat(ours(headers)).isEqualTo(netty(headers)).isEqualTo("X-Name: a?b?c?\r\n");
    }

    @Test
    void blockLongerThanTheScratch_goesOutInSeveralCopies() {
        HttpHeaders headers = DefaultHttpHeadersFactory.headersFactory().newHeaders();
        for (int i = 0; i < 100; i++) {
            headers.add("X-Header-" + i, "value number " + i + " of a long head, long enough to need more than one copy");
        }

        String written = ours(headers);

        assertThat(written.length()).isGreaterThan(3 * HeaderBlockEncoder.SCRATCH_SIZE);
        assertThat(written).isEqualTo(netty(headers));
    }

    @Test
    void lineLongerThanTheScratch_isWrittenDirectly_betweenOrdinaryOnes() {
        HttpHeaders headers = DefaultHttpHeadersFactory.headersFactory().newHeaders();
        headers.add("Before", "short");
        headers.add("X-Long", "v".repeat(3 * HeaderBlockEncoder.SCRATCH_SIZE));
        headers.add(AsciiString.cached("X-Long-Ascii"), AsciiString.of("w".repeat(HeaderBlockEncoder.SCRATCH_SIZE)));
        headers.add("After", "short");

        String written = ours(headers);

        assertThat(written).isEqualTo(netty(headers)).startsWith("Before: short\r\nX-Long: vvv").endsWith("\r\nAfter: short\r\n");
    }

    @Test
    void emptyHeaders_writeNothing() {
        assertThat(ours(DefaultHttpHeadersFactory.headersFactory().newHeaders())).isEmpty();
    }

    @Test
    void scratchIsReused_soASecondHeadIsNotMixedWithTheFirst() {
        HttpHeaders first = decoded("HTTP/1.1 200 OK\r\nA-Long-First-Header: " + "x".repeat(500) + "\r\n\r\n");
        HttpHeaders second = decoded("HTTP/1.1 200 OK\r\nB: y\r\n\r\n");

        ours(first);

        assertThat(ours(second)).isEqualTo("B: y\r\n");
    }

    private String ours(HttpHeaders headers) {
        ByteBuf out = Unpooled.directBuffer(16);
        try {
            encoder.encode(headers, out);
            return out.toString(StandardCharsets.ISO_8859_1);
        } finally {
            out.release();
        }
    }

    /** Netty's encoder on a response head with these headers: its output minus status line and blank line. */
    private static String netty(HttpHeaders headers) {
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                DefaultHttpHeadersFactory.headersFactory().withValidation(false));
        response.headers().set(headers);
        EmbeddedChannel channel = new EmbeddedChannel(new HttpResponseEncoder());
        channel.writeOutbound(response);
        StringBuilder written = new StringBuilder();
        ByteBuf piece;
        while ((piece = channel.readOutbound()) != null) {
            written.append(piece.toString(StandardCharsets.ISO_8859_1));
            piece.release();
        }
        channel.finishAndReleaseAll();
        String head = written.toString();
        return head.substring(head.indexOf("\r\n") + 2, head.length() - 2);
    }

    private static HttpHeaders decoded(String head) {
        EmbeddedChannel channel = new EmbeddedChannel(new HttpResponseDecoder());
        channel.writeInbound(Unpooled.copiedBuffer(head, StandardCharsets.ISO_8859_1));
        HttpResponse response = channel.readInbound();
        channel.finishAndReleaseAll();
        return response.headers();
    }
}
