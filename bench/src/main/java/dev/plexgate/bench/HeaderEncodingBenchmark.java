package dev.plexgate.bench;

import dev.plexgate.proxy.HeaderBlockEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One head encoded from a header map: a Plex-like head as Netty's decoder hands it over (names
 * {@code AsciiString}, values {@code String}) plus plexgate's cache headers, through Netty's
 * {@link HttpResponseEncoder} as it is ({@code netty}) and with its header lines written by
 * {@link HeaderBlockEncoder} ({@code plexgate}). plexgate encodes its own pages this way (block
 * pages, error pages); requests and Plex's responses go on as the bytes they came as
 * ({@code RequestHead}, {@code ResponseHead}, {@link ResponseHeadBenchmark}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HeaderEncodingBenchmark {

    private static final String PLEX_HEAD = "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\n"
            + "Date: Fri, 27 Nov 2026 09:30:00 GMT\r\nContent-Type: text/xml;charset=utf-8\r\n"
            + "Content-Length: 1024\r\nLast-Modified: Thu, 26 Nov 2026 10:00:00 GMT\r\n"
            + "ETag: \"6566f1b0-400\"\r\nX-Plex-Protocol: 1.0\r\nAccess-Control-Allow-Origin: *\r\n"
            + "Vary: Origin, X-Plex-Token\r\nAccept-Ranges: bytes\r\n\r\n";

    @Param({"netty", "plexgate"})
    public String encoder;

    private HttpHeaders headers;
    private EmbeddedChannel channel;

    @Setup
    public void setUp() {
        EmbeddedChannel decoder = new EmbeddedChannel(new HttpResponseDecoder());
        decoder.writeInbound(Unpooled.copiedBuffer(PLEX_HEAD, StandardCharsets.ISO_8859_1));
        headers = ((HttpResponse) decoder.readInbound()).headers();
        decoder.finishAndReleaseAll();
        headers.set(AsciiString.cached("cache-control"), AsciiString.cached("no-store, private"));
        headers.set(AsciiString.cached("cdn-cache-control"), AsciiString.cached("no-store"));
        headers.set(AsciiString.cached("cloudflare-cdn-cache-control"), AsciiString.cached("no-store"));
        channel = new EmbeddedChannel(encoder.equals("netty") ? new HttpResponseEncoder() : new BlockEncoder());
    }

    @TearDown
    public void tearDown() {
        channel.finishAndReleaseAll();
    }

    @Benchmark
    public int encodeHead() {
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, headers);
        channel.writeOutbound(response, LastHttpContent.EMPTY_LAST_CONTENT);
        int length = 0;
        ByteBuf piece;
        while ((piece = channel.readOutbound()) != null) {
            length += piece.readableBytes();
            piece.release();
        }
        return length;
    }

    /** What plexgate's response encoder does with its own pages: Netty's, with the header lines replaced. */
    private static final class BlockEncoder extends HttpResponseEncoder {
        private final HeaderBlockEncoder headerLines = new HeaderBlockEncoder();

        @Override
        protected void encodeHeaders(HttpHeaders headers, ByteBuf buf) {
            headerLines.encode(headers, buf);
        }
    }
}
