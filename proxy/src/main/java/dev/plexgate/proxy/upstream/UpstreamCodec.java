package dev.plexgate.proxy.upstream;

import dev.plexgate.proxy.HeaderBlockEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpStatusClass;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;

/**
 * A pooled connection's HTTP/1.1 codec: what Netty's {@code HttpClientCodec} does for the
 * requests plexgate sends, with header lines written by a {@link HeaderBlockEncoder}. The
 * encoder remembers each request's method so that the decoder knows a response to HEAD has no
 * body whatever its headers say. CONNECT, the other method that changes a response's framing,
 * never reaches Plex ({@code RequestValidator} refuses it).
 */
final class UpstreamCodec extends CombinedChannelDuplexHandler<UpstreamCodec.ResponseDecoder, UpstreamCodec.RequestEncoder> {

    UpstreamCodec(HttpDecoderConfig config) {
        Queue<HttpMethod> methods = new ArrayDeque<>(2);
        init(new ResponseDecoder(config, methods), new RequestEncoder(methods));
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

    static final class ResponseDecoder extends HttpResponseDecoder {

        private final Queue<HttpMethod> methods;

        ResponseDecoder(HttpDecoderConfig config, Queue<HttpMethod> methods) {
            super(config);
            this.methods = methods;
        }

        @Override
        protected boolean isContentAlwaysEmpty(HttpMessage message) {
            // An interim (1xx) response precedes the final one to the same request.
            if (((HttpResponse) message).status().codeClass() == HttpStatusClass.INFORMATIONAL) {
                return super.isContentAlwaysEmpty(message);
            }
            return HttpMethod.HEAD.equals(methods.poll()) || super.isContentAlwaysEmpty(message);
        }
    }
}
