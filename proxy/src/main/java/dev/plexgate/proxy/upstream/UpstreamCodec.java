package dev.plexgate.proxy.upstream;

import dev.plexgate.proxy.http1.BodyWriter;
import dev.plexgate.proxy.http1.HeadEncoder;
import dev.plexgate.proxy.http1.RequestHead;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import java.util.ArrayDeque;
import java.util.Queue;

/**
 * A pooled connection's HTTP/1.1 codec: a {@link ResponseDecoder} that hands Plex's responses on
 * as {@code ResponseHead}s and body pieces, and a {@link RequestEncoder} that writes a client's
 * {@link RequestHead} as its bytes and the body after it. The encoder remembers each request's
 * method so that the decoder knows a response to HEAD has no body whatever its headers say.
 * CONNECT, the other method that changes a response's framing, never reaches Plex
 * ({@code RequestValidator} refuses it).
 *
 * <p>The two are separate handlers rather than one {@code CombinedChannelDuplexHandler}: each
 * event then passes only the half it concerns, where the combined handler's delegation cost
 * about 2 % of the event loops' Java samples (the client side's codec is split likewise).
 */
final class UpstreamCodec {

    static final String DECODER = "http-decoder";
    static final String ENCODER = "http-encoder";

    private UpstreamCodec() {
    }

    static void addTo(ChannelPipeline pipeline) {
        Queue<HttpMethod> methods = new ArrayDeque<>(2);
        pipeline.addLast(DECODER, new ResponseDecoder(methods));
        pipeline.addLast(ENCODER, new RequestEncoder(methods));
    }

    /** Bytes the decoder had buffered pass on to the next handler as it goes. */
    static void removeFrom(ChannelPipeline pipeline) {
        pipeline.remove(ENCODER);
        pipeline.remove(DECODER);
    }

    /**
     * Writes a {@link RequestHead} and the body pieces after it: in chunks when the head says
     * {@code Transfer-Encoding: chunked} (the client's chunks were decoded), else as they are.
     */
    static final class RequestEncoder extends ChannelOutboundHandlerAdapter {

        private final Queue<HttpMethod> methods;
        private final HeadEncoder headEncoder = new HeadEncoder();
        private final BodyWriter body = new BodyWriter();

        RequestEncoder(Queue<HttpMethod> methods) {
            this.methods = methods;
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof RequestHead head) {
                methods.add(head.method());
                body.start(head.fields().chunked() ? BodyWriter.Framing.CHUNKED : BodyWriter.Framing.AS_IS);
                headEncoder.write(ctx, head, promise);
            } else if (body.active() && msg instanceof HttpContent content) {
                body.write(ctx, content, promise);
            } else {
                ctx.write(msg, promise);
            }
        }
    }
}
