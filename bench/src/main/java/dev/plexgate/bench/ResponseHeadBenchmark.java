package dev.plexgate.bench;

import dev.plexgate.proxy.http1.FieldLines;
import dev.plexgate.proxy.http1.MalformedMessageException;
import dev.plexgate.proxy.http1.ResponseHead;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One response head from Plex through {@link ResponseHead}, the way the proxy handles it: parsed
 * ({@code parse}), then with its hop-by-hop and cache fields dropped, plexgate's cache headers
 * appended and the result encoded ({@code parseEditEncode}), as {@code ForwardingHeaders} and
 * {@code HeadEncoder} do. The head is the benchmark origin's for {@code /small}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ResponseHeadBenchmark {

    private static final byte[] ORIGIN_HEAD = ("HTTP/1.1 200 OK\r\nServer: nginx\r\n"
            + "Date: Fri, 27 Nov 2026 12:18:55 GMT\r\nContent-Type: text/plain\r\nContent-Length: 1024\r\n"
            + "Last-Modified: Thu, 26 Nov 2026 20:51:06 GMT\r\nConnection: keep-alive\r\n"
            + "ETag: \"6b089bba-400\"\r\nCache-Control: public, max-age=3600\r\nAccept-Ranges: bytes\r\n")
            .getBytes(StandardCharsets.ISO_8859_1);
    /** The status line and nine fields, as the decoder's HeadReader counts them. */
    private static final int ORIGIN_HEAD_LINES = 10;
    private static final AsciiString CDN_CACHE_CONTROL = AsciiString.cached("cdn-cache-control");
    private static final AsciiString CLOUDFLARE_CDN_CACHE_CONTROL = AsciiString.cached("cloudflare-cdn-cache-control");
    private static final AsciiString NO_STORE_PRIVATE = AsciiString.cached("no-store, private");
    private static final AsciiString NO_STORE = AsciiString.cached("no-store");

    /** The encoder's scratch array, kept per connection as {@code HeadEncoder} keeps it. */
    private final byte[] scratch = new byte[1024];

    @Benchmark
    public long parse() throws MalformedMessageException {
        return ResponseHead.parse(ORIGIN_HEAD, ORIGIN_HEAD_LINES).fields().contentLength();
    }

    @Benchmark
    public int parseEditEncode() throws MalformedMessageException {
        ResponseHead head = ResponseHead.parse(ORIGIN_HEAD, ORIGIN_HEAD_LINES);
        FieldLines fields = head.fields();
        for (int i = 0; i < fields.count(); i++) {
            if (fields.nameIs(i, HttpHeaderNames.CONNECTION) || fields.nameIs(i, HttpHeaderNames.CACHE_CONTROL)) {
                fields.drop(i);
            }
        }
        fields.append(HttpHeaderNames.CACHE_CONTROL, NO_STORE_PRIVATE);
        fields.append(CDN_CACHE_CONTROL, NO_STORE);
        fields.append(CLOUDFLARE_CDN_CACHE_CONTROL, NO_STORE);
        return head.encode(scratch);
    }
}
