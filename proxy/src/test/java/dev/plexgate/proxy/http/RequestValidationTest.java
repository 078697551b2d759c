package dev.plexgate.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plexgate.proxy.http1.RequestHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The client codec and validator on an {@link EmbeddedChannel}: each row is raw request bytes
 * and the status the proxy answers. A valid row reaches the end of the pipeline whole; an invalid
 * one reaches nothing and closes the connection.
 */
final class RequestValidationTest {

    private static final String H = "Host: plex.example.com\r\n";

    @ParameterizedTest(name = "{index}: {0}")
    @CsvSource(delimiter = '|', textBlock = """
            valid GET                         | GET / HTTP/1.1\\r\\n{H}\\r\\n                                                   | 0
            valid chunked body                | POST /u HTTP/1.1\\r\\n{H}Transfer-Encoding: chunked\\r\\n\\r\\n5\\r\\nhello\\r\\n0\\r\\n\\r\\n | 0
            leading empty line                | \\r\\nGET / HTTP/1.1\\r\\n{H}\\r\\n                                               | 0
            HTTP/1.0 without Host             | GET / HTTP/1.0\\r\\n\\r\\n                                                      | 0
            CL and TE together                | POST / HTTP/1.1\\r\\n{H}Content-Length: 5\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n | 400
            duplicate Content-Length          | POST / HTTP/1.1\\r\\n{H}Content-Length: 5\\r\\nContent-Length: 5\\r\\n\\r\\nhello | 400
            differing Content-Length          | POST / HTTP/1.1\\r\\n{H}Content-Length: 5, 6\\r\\n\\r\\nhello                   | 400
            negative Content-Length           | POST / HTTP/1.1\\r\\n{H}Content-Length: -1\\r\\n\\r\\n                         | 400
            non-numeric Content-Length        | POST / HTTP/1.1\\r\\n{H}Content-Length: 5x\\r\\n\\r\\nhello                     | 400
            plus-signed Content-Length        | POST / HTTP/1.1\\r\\n{H}Content-Length: +5\\r\\n\\r\\nhello                     | 400
            TE not ending in chunked          | POST / HTTP/1.1\\r\\n{H}Transfer-Encoding: gzip\\r\\n\\r\\n                   | 400
            TE in HTTP/1.0                    | POST / HTTP/1.0\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n          | 400
            obs-fold                          | GET / HTTP/1.1\\r\\n{H}X-A: 1\\r\\n  folded\\r\\n\\r\\n                      | 400
            obs-fold with tab                 | GET / HTTP/1.1\\r\\n{H}X-A: 1\\r\\n\\tfolded\\r\\n\\r\\n                     | 400
            obs-fold after empty lines        | \\r\\n\\r\\nGET / HTTP/1.1\\r\\n{H}X-A: 1\\r\\n folded\\r\\n\\r\\n            | 400
            bare LF line ending               | GET / HTTP/1.1\\n{H}\\r\\n                                                      | 400
            bare LF in a header               | GET / HTTP/1.1\\r\\nX-A: 1\\n{H}\\r\\n                                          | 400
            control char in header value      | GET / HTTP/1.1\\r\\n{H}X-A: a\\u0001b\\r\\n\\r\\n                              | 400
            control char in header name       | GET / HTTP/1.1\\r\\n{H}X\\u0001A: b\\r\\n\\r\\n                                | 400
            space before colon                | GET / HTTP/1.1\\r\\n{H}X-A : b\\r\\n\\r\\n                                     | 400
            missing Host                      | GET / HTTP/1.1\\r\\n\\r\\n                                                      | 400
            two Hosts                         | GET / HTTP/1.1\\r\\n{H}{H}\\r\\n                                                | 400
            invalid Host                      | GET / HTTP/1.1\\r\\nHost: a b\\r\\n\\r\\n                                        | 400
            Host with userinfo                | GET / HTTP/1.1\\r\\nHost: u@plex\\r\\n\\r\\n                                    | 400
            Connection names Content-Length   | GET / HTTP/1.1\\r\\n{H}Connection: close, Content-Length\\r\\n\\r\\n            | 400
            absolute-form target              | GET http://plex/ HTTP/1.1\\r\\n{H}\\r\\n                                        | 400
            control char in target            | GET /a\\u0001b HTTP/1.1\\r\\n{H}\\r\\n                                          | 400
            HTTP/2.0 request line             | GET / HTTP/2.0\\r\\n{H}\\r\\n                                                   | 505
            HTTP/1.2                          | GET / HTTP/1.2\\r\\n{H}\\r\\n                                                   | 505
            CONNECT                           | CONNECT plex:443 HTTP/1.1\\r\\n{H}\\r\\n                                        | 405
            TRACE                             | TRACE / HTTP/1.1\\r\\n{H}\\r\\n                                                 | 405
            request line too long             | GET /{LONG} HTTP/1.1\\r\\n{H}\\r\\n                                             | 414
            header block too large            | GET / HTTP/1.1\\r\\n{H}X-Big: {LONG}{LONG}{LONG}{LONG}{LONG}\\r\\n\\r\\n          | 431
            """)
    void rawRequest_getsItsStatus_whetherItComesWholeOrByteByByte(String name, String template, int expectedStatus) {
        byte[] request = expand(template).getBytes(StandardCharsets.ISO_8859_1);
        check(request, false, expectedStatus);
        check(request, true, expectedStatus);
    }

    /** Byte by byte, the decoder's state must carry over from read to read. */
    private static void check(byte[] request, boolean byteByByte, int expectedStatus) {
        Capture capture = new Capture();
        EmbeddedChannel channel = clientSide(capture);
        if (byteByByte) {
            for (int i = 0; i < request.length && channel.isOpen(); i++) {
                channel.writeInbound(Unpooled.wrappedBuffer(request, i, 1));
            }
        } else {
            channel.writeInbound(Unpooled.wrappedBuffer(request));
        }

        String response = drainOutbound(channel);
        if (expectedStatus == 0) {
            assertThat(response).as("nothing answered").isEmpty();
            assertThat(capture.requests).as("request passed").isEqualTo(1);
            assertThat(capture.lastContent).as("message end passed").isTrue();
            assertThat(channel.isOpen()).isTrue();
        } else {
            assertThat(response).startsWith("HTTP/1.1 " + expectedStatus + " ");
            assertThat(response).contains("connection: close");
            assertThat(capture.requests).as("nothing passed on").isZero();
            assertThat(channel.isOpen()).as("connection closed").isFalse();
        }
        channel.finishAndReleaseAll();
    }

    @ParameterizedTest(name = "{index}: {0}")
    @CsvSource(delimiter = '|', textBlock = """
            chunk size not hex         | zz
            chunk size with 0x prefix  | 0x5
            chunk size with sign       | +5
            chunk size overflow        | 1000000000000000
            chunk size with trailing space | 5 x
            empty chunk size           | ;ext=1
            """)
    void invalidChunkSize_isReportedAsMalformedBody(String name, String chunkSize) {
        Capture capture = new Capture();
        EmbeddedChannel channel = clientSide(capture);
        channel.writeInbound(Unpooled.copiedBuffer("POST /u HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n"
                + chunkSize + "\r\nhello\r\n0\r\n\r\n", StandardCharsets.ISO_8859_1));

        assertThat(capture.requests).as("the head itself was valid").isEqualTo(1);
        assertThat(capture.failure).isInstanceOf(MalformedRequestException.class);
        assertThat(((MalformedRequestException) capture.failure).status()).isEqualTo(400);
        assertThat(capture.lastContent).as("no body end passed").isFalse();
        channel.finishAndReleaseAll();
    }

    /** Plex's side may end chunk lines in a bare LF; a client's may not, as its head's lines may not. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            after the chunk size | 5\\nhello\\r\\n0\\r\\n\\r\\n
            after the chunk data | 5\\r\\nhello\\n0\\r\\n\\r\\n
            ending the trailers  | 5\\r\\nhello\\r\\n0\\r\\n\\n
            """)
    void chunkLineEndingInBareLf_isReportedAsMalformedBody(String name, String body) {
        Capture capture = new Capture();
        EmbeddedChannel channel = clientSide(capture);
        channel.writeInbound(Unpooled.copiedBuffer("POST /u HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n"
                + expand(body), StandardCharsets.ISO_8859_1));

        assertThat(capture.requests).isEqualTo(1);
        assertThat(capture.failure).isInstanceOf(MalformedRequestException.class);
        assertThat(capture.lastContent).as("no body end passed").isFalse();
        channel.finishAndReleaseAll();
    }

    /** The client pipeline's HTTP stages, as ProxyChannelInitializer puts them, before {@code capture}. */
    private static EmbeddedChannel clientSide(Capture capture) {
        RequestDecoder decoder = new RequestDecoder(4096, 16 * 1024);
        return new EmbeddedChannel(decoder, new ProxyResponseEncoder(decoder.methods), new RequestValidator(), capture);
    }

    private static String expand(String template) {
        return template.replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t")
                .replace("\\u0001", "\u0001").replace("{H}", H).replace("{LONG}", "a".repeat(5000));
    }

    private static String drainOutbound(EmbeddedChannel channel) {
        StringBuilder text = new StringBuilder();
        Object out;
        while ((out = channel.readOutbound()) != null) {
            if (out instanceof ByteBuf buf) {
                text.append(buf.toString(StandardCharsets.ISO_8859_1));
            }
            ReferenceCountUtil.release(out);
        }
        return text.toString().toLowerCase(java.util.Locale.ROOT).replace("http/1.1", "HTTP/1.1");
    }

    /** Stands where ProxyHandler would: counts what the validator let through. */
    private static final class Capture extends ChannelInboundHandlerAdapter {
        int requests;
        boolean lastContent;
        Throwable failure;
        final List<Object> seen = new ArrayList<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof RequestHead) {
                requests++;
            }
            if (msg instanceof LastHttpContent) {
                lastContent = true;
            } else if (msg instanceof HttpContent) {
                seen.add(msg);
            }
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            failure = cause;
        }
    }
}
