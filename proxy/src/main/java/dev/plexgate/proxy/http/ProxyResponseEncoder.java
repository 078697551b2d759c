package dev.plexgate.proxy.http;

import dev.plexgate.proxy.HeaderBlockEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpStatusClass;
import java.util.Queue;

/**
 * Netty's response encoder, told which responses answer a HEAD request: those carry no body even
 * when they say {@code Transfer-Encoding: chunked}, so no terminating chunk may be written.
 * Header lines go out through a {@link HeaderBlockEncoder}.
 */
final class ProxyResponseEncoder extends HttpResponseEncoder {

    private final Queue<HttpMethod> methods;
    private final HeaderBlockEncoder headerLines = new HeaderBlockEncoder();

    ProxyResponseEncoder(Queue<HttpMethod> methods) {
        this.methods = methods;
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
