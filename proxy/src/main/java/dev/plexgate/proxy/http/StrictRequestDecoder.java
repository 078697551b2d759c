package dev.plexgate.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;

/**
 * Netty's request decoder plus the one RFC 9112 rule it cannot be configured to enforce: it
 * folds obsolete line folding (a header line starting with SP or HTAB) into the previous value,
 * where §5.2 lets a proxy only reject it. Folded headers are a classic request-smuggling vector,
 * so the head's bytes are scanned before Netty sees them, and a fold becomes a failed request.
 *
 * <p>Everything else strict comes from Netty's own configuration (see {@link #config}): CRLF line
 * endings, no Content-Length together with Transfer-Encoding, no duplicate Content-Length,
 * chunk-size grammar, header name and value characters.
 *
 * <p>It also remembers each request's method for {@link ProxyResponseEncoder}, which must know
 * when a response to HEAD has no body whatever its headers say.
 */
final class StrictRequestDecoder extends HttpRequestDecoder {

    final Queue<HttpMethod> methods = new ArrayDeque<>(2);

    private boolean inHead = true;
    private boolean headStarted;
    private boolean atLineStart;
    private boolean broken;
    /** Bytes after the reader index that were scanned by an earlier call and not yet consumed. */
    private int scannedAhead;

    StrictRequestDecoder(int maxRequestLine, int maxHeaderSize) {
        super(config(maxRequestLine, maxHeaderSize));
    }

    static HttpDecoderConfig config(int maxRequestLine, int maxHeaderSize) {
        return new HttpDecoderConfig()
                .setMaxInitialLineLength(maxRequestLine)
                .setMaxHeaderSize(maxHeaderSize)
                .setMaxChunkSize(1024 * 1024)
                .setValidateHeaders(true)
                .setStrictLineParsing(true)
                .setAllowDuplicateContentLengths(false)
                .setUseRfc9112TransferEncoding(true);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
        if (broken) {
            buffer.skipBytes(buffer.readableBytes());
            return;
        }
        if (inHead && foldedLineAhead(buffer)) {
            broken = true;
            buffer.skipBytes(buffer.readableBytes());
            out.add(foldedRequest());
            return;
        }
        int before = buffer.readerIndex();
        int produced = out.size();
        super.decode(ctx, buffer, out);
        scannedAhead = Math.max(0, scannedAhead - (buffer.readerIndex() - before));
        for (int i = produced; i < out.size(); i++) {
            Object message = out.get(i);
            if (message instanceof HttpRequest request) {
                inHead = false;
                if (request.decoderResult().isSuccess()) {
                    methods.add(request.method());
                }
            }
            if (message instanceof LastHttpContent) {
                // The decoder returns right after a message's end, so what is left is the next head.
                inHead = true;
                headStarted = false;
                atLineStart = false;
                scannedAhead = 0;
            }
        }
    }

    /**
     * Scans the head's bytes not seen yet; true on a line that starts with SP or HTAB. It jumps
     * from line feed to line feed ({@link ByteBuf#indexOf} compares eight bytes at a time) and
     * looks only at the byte after each: a byte-by-byte scan cost about 4 % of the event loops'
     * Java samples. It stops at the blank line that ends the head: the body is not its to scan.
     */
    private boolean foldedLineAhead(ByteBuf buffer) {
        int end = buffer.writerIndex();
        int at = buffer.readerIndex() + scannedAhead;
        scannedAhead = end - buffer.readerIndex();
        if (!headStarted) {
            // Empty lines before the request line are allowed (RFC 9112 section 2.2).
            while (at < end && isLineEnd(buffer.getByte(at))) {
                at++;
            }
            if (at == end) {
                return false;
            }
            headStarted = true;
        }
        while (at < end) {
            if (atLineStart) {
                byte first = buffer.getByte(at);
                if (first == ' ' || first == '\t') {
                    return true;
                }
                if (isLineEnd(first)) {
                    return false;
                }
                atLineStart = false;
            }
            int lineFeed = buffer.indexOf(at, end, (byte) '\n');
            if (lineFeed < 0) {
                return false;
            }
            at = lineFeed + 1;
            atLineStart = true;
        }
        return false;
    }

    private static boolean isLineEnd(byte b) {
        return b == '\r' || b == '\n';
    }

    private static HttpRequest foldedRequest() {
        HttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/bad-request");
        request.setDecoderResult(DecoderResult.failure(new MalformedRequestException(400,
                "obsolete line folding in a header (RFC 9112 section 5.2)")));
        return request;
    }
}
