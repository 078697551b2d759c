package dev.plexgate.proxy.upstream;

import dev.plexgate.proxy.HeaderBlockEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;

/**
 * A pooled connection's HTTP/1.1 codec: a {@link ResponseDecoder} that hands Plex's responses on
 * as {@link ResponseHead}s and body pieces, and Netty's request encoder with header lines written
 * by a {@link HeaderBlockEncoder}. The encoder remembers each request's method so that the
 * decoder knows a response to HEAD has no body whatever its headers say. CONNECT, the other
 * method that changes a response's framing, never reaches Plex ({@code RequestValidator}
 * refuses it).
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

    static final class RequestEncoder extends HttpRequestEncoder {

        private final Queue<HttpMethod> methods;
        private final HeaderBlockEncoder headerLines = new HeaderBlockEncoder();

        RequestEncoder(Queue<HttpMethod> methods) {
            this.methods = methods;
        }

        @Override
        protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out) throws Exception {
            if (msg instanceof HttpRequest request) {
                methods.add(request.method());
            }
            super.encode(ctx, msg, out);
        }

        @Override
        protected void encodeHeaders(HttpHeaders headers, ByteBuf buf) {
            headerLines.encode(headers, buf);
        }
    }
}
