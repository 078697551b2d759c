package dev.plexgate.proxy.upstream;

import dev.plexgate.proxy.http1.BodyDecoder;
import dev.plexgate.proxy.http1.HeadReader;
import dev.plexgate.proxy.http1.MalformedMessageException;
import dev.plexgate.proxy.http1.ResponseHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;
import java.util.Queue;

/**
 * Splits what Plex sends on a pooled connection into {@link ResponseHead}s and their bodies as
 * Netty's {@code HttpContent} pieces, each body ending with a {@link LastHttpContent} (bodiless
 * responses too), cut by a {@link BodyDecoder}.
 *
 * <p>Framing follows RFC 9112 section 6.3: no body for a 1xx, 204 or 304 or an answer to HEAD;
 * else a Transfer-Encoding ending in chunked is decoded from its chunks; any other
 * Transfer-Encoding, or no length at all, runs until Plex closes; else Content-Length. After a
 * {@code 101} the bytes that follow are passed on as they come.
 *
 * <p>Anything that breaks the grammar — of a head ({@link ResponseHead#parse}) or of a chunk —
 * or a head over {@value #MAX_HEAD_SIZE} bytes, becomes a {@link LastHttpContent} whose decoder
 * result failed with a {@link MalformedMessageException}, and every later byte is ignored: the
 * exchange ends, and the connection is not reused. Plex closing in the middle of a head is such a
 * failure; in the middle of a body it is not, and the connection's close tells the exchange that
 * its body was cut.
 */
final class ResponseDecoder extends ByteToMessageDecoder {

    static final int MAX_HEAD_SIZE = 64 * 1024;

    private enum State { HEAD, BODY, UNTIL_CLOSE, UPGRADED, BROKEN }

    /** The methods of the requests sent on this connection and not yet answered, oldest first. */
    private final Queue<HttpMethod> methods;
    private final HeadReader heads = new HeadReader();
    private final BodyDecoder body = new BodyDecoder(false, MAX_HEAD_SIZE);
    private State state = State.HEAD;

    ResponseDecoder(Queue<HttpMethod> methods) {
        this.methods = methods;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        switch (state) {
            case HEAD -> head(in, out);
            case BODY -> body(in, out);
            case UNTIL_CLOSE -> out.add(new DefaultHttpContent(in.readRetainedSlice(in.readableBytes())));
            case UPGRADED -> out.add(in.readRetainedSlice(in.readableBytes()));
            case BROKEN -> in.skipBytes(in.readableBytes());
        }
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (state == State.UNTIL_CLOSE) {
            out.add(LastHttpContent.EMPTY_LAST_CONTENT);
            state = State.HEAD;
        } else if (state == State.HEAD && heads.skipEmptyLines(in)) {
            fail(in, out, "the connection closed in the middle of a response head");
        }
    }

    private void head(ByteBuf in, List<Object> out) {
        if (!heads.skipEmptyLines(in)) {
            return;
        }
        byte[] bytes = heads.read(in, MAX_HEAD_SIZE + 2);
        if (bytes == null) {
            if (in.readableBytes() > MAX_HEAD_SIZE) {
                fail(in, out, "a response head over " + MAX_HEAD_SIZE / 1024 + " KiB");
            }
            return;
        }
        if (bytes.length > MAX_HEAD_SIZE) {
            fail(in, out, "a response head over " + MAX_HEAD_SIZE / 1024 + " KiB");
            return;
        }
        ResponseHead head;
        try {
            head = ResponseHead.parse(bytes, heads.linesOfLastHead());
        } catch (MalformedMessageException e) {
            fail(in, out, e.getMessage());
            return;
        }
        out.add(head);
        bodyOf(head, out);
    }

    private void bodyOf(ResponseHead head, List<Object> out) {
        int status = head.status();
        if (status < 200) {
            // An interim response answers nothing yet; the request's final one follows.
            out.add(LastHttpContent.EMPTY_LAST_CONTENT);
            state = status == 101 ? State.UPGRADED : State.HEAD;
            return;
        }
        boolean answersHead = HttpMethod.HEAD.equals(methods.poll());
        long length = head.fields().contentLength();
        if (answersHead || status == 204 || status == 304) {
            out.add(LastHttpContent.EMPTY_LAST_CONTENT);
        } else if (head.fields().transferEncoded()) {
            if (head.fields().chunked()) {
                body.startChunked();
                state = State.BODY;
            } else {
                state = State.UNTIL_CLOSE;
            }
        } else if (length > 0) {
            body.startFixed(length);
            state = State.BODY;
        } else if (length == 0) {
            out.add(LastHttpContent.EMPTY_LAST_CONTENT);
        } else {
            state = State.UNTIL_CLOSE;
        }
    }

    private void body(ByteBuf in, List<Object> out) {
        try {
            if (body.decode(in, out)) {
                state = State.HEAD;
            }
        } catch (MalformedMessageException e) {
            fail(in, out, e.getMessage());
        }
    }

    private void fail(ByteBuf in, List<Object> out, String problem) {
        in.skipBytes(in.readableBytes());
        state = State.BROKEN;
        LastHttpContent failure = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER, EmptyHttpHeaders.INSTANCE);
        failure.setDecoderResult(DecoderResult.failure(new MalformedMessageException(problem)));
        out.add(failure);
    }
}
