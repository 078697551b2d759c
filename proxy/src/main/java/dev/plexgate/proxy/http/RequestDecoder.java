package dev.plexgate.proxy.http;

import dev.plexgate.proxy.http1.BodyDecoder;
import dev.plexgate.proxy.http1.HeadReader;
import dev.plexgate.proxy.http1.MalformedMessageException;
import dev.plexgate.proxy.http1.RequestHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;

/**
 * Splits a client's bytes into {@link RequestHead}s and their bodies as Netty's
 * {@code HttpContent} pieces, each request ending with a {@link LastHttpContent} (bodiless ones
 * too). The grammar is {@link RequestHead#parse}'s and {@link BodyDecoder}'s in their strict
 * form: CRLF line endings only, no obs-fold, no whitespace before a colon, no control characters
 * in names or values, one valid Content-Length, chunked as the final coding and never with a
 * Content-Length, and a chunk-size grammar.
 *
 * <p>A request line over {@code maxRequestLine} bytes fails with 414, a header block over
 * {@code maxHeaderSize} with 431, anything else malformed with 400. A failure becomes a
 * {@link LastHttpContent} whose decoder result failed with a {@link MalformedRequestException},
 * and every later byte of the connection is ignored: after a malformed message the stream can no
 * longer be trusted to be framed the way the next hop would frame it. {@link RequestValidator}
 * answers it.
 *
 * <p>It also remembers each request's method for {@link ProxyResponseEncoder}, which must know
 * when a response to HEAD has no body whatever its headers say.
 */
final class RequestDecoder extends ByteToMessageDecoder {

    private enum State { HEAD, BODY, BROKEN }

    final Queue<HttpMethod> methods = new ArrayDeque<>(2);
    private final int maxRequestLine;
    private final int maxHeaderSize;
    private final HeadReader heads = new HeadReader();
    private final BodyDecoder body;
    private State state = State.HEAD;

    RequestDecoder(int maxRequestLine, int maxHeaderSize) {
        this.maxRequestLine = maxRequestLine;
        this.maxHeaderSize = maxHeaderSize;
        this.body = new BodyDecoder(true, maxHeaderSize);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        switch (state) {
            case HEAD -> head(in, out);
            case BODY -> body(in, out);
            case BROKEN -> in.skipBytes(in.readableBytes());
        }
    }

    private void head(ByteBuf in, List<Object> out) {
        if (!heads.skipEmptyLines(in)) {
            return;
        }
        // The request line and its CRLF, the header block and the blank line's CRLF.
        byte[] bytes = heads.read(in, maxRequestLine + maxHeaderSize + 4);
        int requestLine = heads.firstLineLength();
        if (requestLine > maxRequestLine || (requestLine < 0 && in.readableBytes() > maxRequestLine + 1)) {
            fail(in, out, 414, "request line too long");
            return;
        }
        if (bytes == null) {
            if (in.readableBytes() > maxRequestLine + maxHeaderSize + 4) {
                fail(in, out, 431, "request header fields too large");
            }
            return;
        }
        if (bytes.length - requestLine > maxHeaderSize + 2) {
            fail(in, out, 431, "request header fields too large");
            return;
        }
        RequestHead head;
        try {
            head = RequestHead.parse(bytes, heads.linesOfLastHead());
        } catch (MalformedMessageException e) {
            fail(in, out, 400, "malformed request: " + e.getMessage());
            return;
        }
        methods.add(head.method());
        out.add(head);
        if (head.fields().chunked()) {
            body.startChunked();
            state = State.BODY;
        } else if (head.fields().contentLength() > 0) {
            body.startFixed(head.fields().contentLength());
            state = State.BODY;
        } else {
            out.add(LastHttpContent.EMPTY_LAST_CONTENT);
        }
    }

    private void body(ByteBuf in, List<Object> out) {
        try {
            if (body.decode(in, out)) {
                state = State.HEAD;
            }
        } catch (MalformedMessageException e) {
            fail(in, out, 400, "malformed body: " + e.getMessage());
        }
    }

    private void fail(ByteBuf in, List<Object> out, int status, String problem) {
        in.skipBytes(in.readableBytes());
        state = State.BROKEN;
        LastHttpContent failure = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER, EmptyHttpHeaders.INSTANCE);
        failure.setDecoderResult(DecoderResult.failure(new MalformedRequestException(status, problem)));
        out.add(failure);
    }
}
