package dev.plexgate.proxy.http;

import dev.plexgate.proxy.HeaderBlockEncoder;
import dev.plexgate.proxy.http1.BodyWriter;
import dev.plexgate.proxy.http1.HeadEncoder;
import dev.plexgate.proxy.http1.ResponseHead;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpStatusClass;
import java.util.Queue;

/**
 * Writes responses to the client. Plex's arrive as {@link ResponseHead}s, already edited by
 * {@link ForwardingHeaders}: the head's bytes go out as they are, and the body pieces after it
 * as they are or in chunks, as the head says ({@link BodyWriter}). plexgate's own pages are Netty
 * responses and go through Netty's encoder, with header lines written by a
 * {@link HeaderBlockEncoder}.
 *
 * <p>Both paths know which responses answer a HEAD request: those carry no body even when they
 * say {@code Transfer-Encoding: chunked}, so no terminating chunk may be written.
 */
final class ProxyResponseEncoder extends HttpResponseEncoder {

    private final Queue<HttpMethod> methods;
    private final HeaderBlockEncoder headerLines = new HeaderBlockEncoder();
    private final HeadEncoder headEncoder = new HeadEncoder();
    private final BodyWriter body = new BodyWriter();

    ProxyResponseEncoder(Queue<HttpMethod> methods) {
        this.methods = methods;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof ResponseHead head) {
            body.start(framing(head));
            headEncoder.write(ctx, head, promise);
        } else if (body.active() && msg instanceof HttpContent content) {
            body.write(ctx, content, promise);
        } else {
            super.write(ctx, msg, promise);
        }
    }

    private BodyWriter.Framing framing(ResponseHead head) {
        int status = head.status();
        if (status < 200) {
            return BodyWriter.Framing.EMPTY; // an interim response, or the 101 before a websocket
        }
        if (HttpMethod.HEAD.equals(methods.poll()) || status == 204 || status == 304) {
            return BodyWriter.Framing.EMPTY;
        }
        return head.bodyInChunks() ? BodyWriter.Framing.CHUNKED : BodyWriter.Framing.AS_IS;
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpResponse response) {
        if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
            return super.isContentAlwaysEmpty(response);
        }
        HttpMethod method = methods.poll();
        return HttpMethod.HEAD.equals(method) || super.isContentAlwaysEmpty(response);
    }

    @Override
    protected void encodeHeaders(HttpHeaders headers, ByteBuf buf) {
        headerLines.encode(headers, buf);
    }
}
