package dev.plexgate.proxy.upstream;

import dev.plexgate.proxy.HeaderBlockEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;

/**
 * A pooled connection's HTTP/1.1 codec: Netty's request encoder with header lines written by a
 * {@link HeaderBlockEncoder}, and a {@link ResponseDecoder} that hands Plex's responses on as
 * {@link ResponseHead}s and body pieces. The encoder remembers each request's method so that the
 * decoder knows a response to HEAD has no body whatever its headers say. CONNECT, the other
 * method that changes a response's framing, never reaches Plex ({@code RequestValidator}
 * refuses it).
 */
final class UpstreamCodec extends CombinedChannelDuplexHandler<ResponseDecoder, UpstreamCodec.RequestEncoder> {

    UpstreamCodec() {
        Queue<HttpMethod> methods = new ArrayDeque<>(2);
        init(new ResponseDecoder(methods), new RequestEncoder(methods));
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
