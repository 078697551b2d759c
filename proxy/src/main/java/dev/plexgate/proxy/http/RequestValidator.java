package dev.plexgate.proxy.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.util.List;

/**
 * Refuses every request head that must not reach Plex, answering with the status RFC 9112 and
 * RFC 9110 give for it and closing the connection (after a malformed message the byte stream can
 * no longer be trusted to be framed the way the next hop would frame it).
 *
 * <p>A failed body piece (a bad chunk size) arrives after its head was accepted; it is passed on
 * as a {@link MalformedRequestException} so that {@link ProxyHandler}, which knows whether the
 * head already went upstream, can answer 400 or abort both sides.
 */
final class RequestValidator extends ChannelInboundHandlerAdapter {

    private boolean rejected;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (rejected) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest request) {
            MalformedRequestException problem = problemWith(request);
            if (problem != null) {
                rejected = true;
                ReferenceCountUtil.release(msg);
                ErrorResponses.sendAndClose(ctx, problem.status(), problem.getMessage());
                return;
            }
        } else if (msg instanceof HttpContent content && content.decoderResult().isFailure()) {
            rejected = true;
            ReferenceCountUtil.release(msg);
            ctx.fireExceptionCaught(new MalformedRequestException(400,
                    "malformed body: " + content.decoderResult().cause().getMessage()));
            return;
        }
        ctx.fireChannelRead(msg);
    }

    /** The reason {@code request} must be refused, or null when it may be forwarded. */
    static MalformedRequestException problemWith(HttpRequest request) {
        DecoderResult result = request.decoderResult();
        if (result.isFailure()) {
            Throwable cause = result.cause();
            if (cause instanceof MalformedRequestException malformed) {
                return malformed;
            }
            if (cause instanceof TooLongHttpLineException) {
                return new MalformedRequestException(414, "request line too long");
            }
            if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
                return new MalformedRequestException(431, "request header fields too large");
            }
            return new MalformedRequestException(400, "malformed request: " + cause.getMessage());
        }
        HttpVersion version = request.protocolVersion();
        if (version.majorVersion() != 1 || version.minorVersion() > 1) {
            return new MalformedRequestException(505, "HTTP version not supported");
        }
        if (HttpMethod.CONNECT.equals(request.method()) || HttpMethod.TRACE.equals(request.method())) {
            return new MalformedRequestException(405, request.method() + " is not allowed");
        }
        if (!validTarget(request.uri())) {
            return new MalformedRequestException(400, "invalid request target");
        }
        HttpHeaders headers = request.headers();
        List<String> hosts = headers.getAll(HttpHeaderNames.HOST);
        if (hosts.size() > 1 || (hosts.isEmpty() && version.minorVersion() == 1)) {
            // RFC 9112 section 3.2: exactly one Host in HTTP/1.1
            return new MalformedRequestException(400, "expected exactly one Host header");
        }
        if (hosts.size() == 1 && !validHost(hosts.get(0))) {
            return new MalformedRequestException(400, "invalid Host header");
        }
        if (namesFramingHeader(headers)) {
            // RFC 9112 section 7.6.1: stripping these on a proxy's say-so would change the framing
            return new MalformedRequestException(400, "Connection header names a framing header");
        }
        return null;
    }

    /**
     * Origin form ({@code /path?query}) or {@code *}: visible ASCII, no fragment. Characters RFC 3986
     * calls unsafe ({@code | ^ { }}) pass, as in nginx, because some clients send them unencoded.
     */
    static boolean validTarget(String uri) {
        if (uri.equals("*")) {
            return true;
        }
        if (uri.isEmpty() || uri.charAt(0) != '/') {
            return false;
        }
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c <= 0x20 || c >= 0x7F || c == '#') {
                return false;
            }
        }
        return true;
    }

    /** {@code uri-host [":" port]} of RFC 3986: a reg-name, an IPv4 address or an IP literal in brackets. */
    static boolean validHost(String host) {
        if (host.isEmpty()) {
            return false;
        }
        int portStart;
        if (host.charAt(0) == '[') {
            int close = host.indexOf(']');
            if (close < 0) {
                return false;
            }
            for (int i = 1; i < close; i++) {
                char c = host.charAt(i);
                if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
                    return false;
                }
            }
            portStart = close + 1;
        } else {
            portStart = host.indexOf(':');
            if (portStart < 0) {
                portStart = host.length();
            }
            for (int i = 0; i < portStart; i++) {
                char c = host.charAt(i);
                boolean regName = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || c == '-' || c == '.' || c == '_' || c == '~';
                if (!regName) {
                    return false;
                }
            }
        }
        if (portStart == host.length()) {
            return true;
        }
        if (host.charAt(portStart) != ':' || host.length() - portStart > 6) {
            return false;
        }
        for (int i = portStart + 1; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean namesFramingHeader(HttpHeaders headers) {
        for (String name : HopByHopHeaders.connectionOptions(headers)) {
            if (name.equalsIgnoreCase("content-length") || name.equalsIgnoreCase("transfer-encoding")
                    || name.equalsIgnoreCase("host")) {
                return true;
            }
        }
        return false;
    }
}
