package dev.plexgate.proxy.http;

import dev.plexgate.proxy.http1.FieldLines;
import dev.plexgate.proxy.http1.RequestHead;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.List;

/**
 * Refuses every request that must not reach Plex, answering with the status RFC 9112 and
 * RFC 9110 give for it and closing the connection (after a malformed message the byte stream can
 * no longer be trusted to be framed the way the next hop would frame it): what
 * {@link RequestDecoder} found malformed, and heads that parse but ask for what plexgate does not
 * forward (another HTTP version, CONNECT or TRACE, a target that is not a path, a missing or
 * invalid Host, a Connection header that names a framing header).
 *
 * <p>A failed body piece (a bad chunk size) arrives after its head was accepted; it is passed on
 * as the {@link MalformedRequestException} so that {@link ProxyHandler}, which knows whether the
 * head already went upstream, can answer 400 or abort both sides.
 */
final class RequestValidator extends ChannelInboundHandlerAdapter {

    private boolean rejected;
    /** A head was let through and its body has not ended yet. */
    private boolean inBody;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (rejected) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof RequestHead request) {
            MalformedRequestException problem = problemWith(request);
            if (problem != null) {
                reject(ctx, msg, problem);
                return;
            }
            inBody = true;
        } else if (msg instanceof HttpContent content && content.decoderResult().isFailure()) {
            MalformedRequestException problem = (MalformedRequestException) content.decoderResult().cause();
            if (!inBody) {
                reject(ctx, msg, problem);
                return;
            }
            rejected = true;
            ReferenceCountUtil.release(msg);
            ctx.fireExceptionCaught(problem);
            return;
        } else if (msg instanceof LastHttpContent) {
            inBody = false;
        }
        ctx.fireChannelRead(msg);
    }

    private void reject(ChannelHandlerContext ctx, Object msg, MalformedRequestException problem) {
        rejected = true;
        ReferenceCountUtil.release(msg);
        ErrorResponses.sendAndClose(ctx, problem.status(), problem.getMessage());
    }

    /** The reason a well-formed {@code request} must be refused, or null when it may be forwarded. */
    static MalformedRequestException problemWith(RequestHead request) {
        if (request.majorVersion() != 1 || request.minorVersion() > 1) {
            return new MalformedRequestException(505, "HTTP version not supported");
        }
        if (HttpMethod.CONNECT.equals(request.method()) || HttpMethod.TRACE.equals(request.method())) {
            return new MalformedRequestException(405, request.method() + " is not allowed");
        }
        if (!validTarget(request.uri())) {
            return new MalformedRequestException(400, "invalid request target");
        }
        FieldLines fields = request.fields();
        int host = fields.indexOf(HttpHeaderNames.HOST, 0);
        if (host >= 0 ? fields.indexOf(HttpHeaderNames.HOST, host + 1) >= 0 : !request.http10()) {
            // RFC 9112 section 3.2: exactly one Host in HTTP/1.1
            return new MalformedRequestException(400, "expected exactly one Host header");
        }
        if (host >= 0 && !validHost(fields.value(host))) {
            return new MalformedRequestException(400, "invalid Host header");
        }
        if (namesFramingHeader(fields.connectionOptions())) {
            // RFC 9112 section 7.6.1: stripping these on a proxy's say-so would change the framing
            return new MalformedRequestException(400, "Connection header names a framing header");
        }
        return null;
    }

    /**
     * Origin form ({@code /path?query}) or {@code *}, without a fragment. Its characters are
     * {@link RequestHead#parse}'s to check (visible ASCII only); those RFC 3986 calls unsafe
     * ({@code | ^ { }}) pass, as in nginx, because some clients send them unencoded.
     */
    static boolean validTarget(String uri) {
        return uri.equals("*") || (uri.startsWith("/") && uri.indexOf('#') < 0);
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

    private static boolean namesFramingHeader(List<String> connectionOptions) {
        for (String name : connectionOptions) {
            if (name.equalsIgnoreCase("content-length") || name.equalsIgnoreCase("transfer-encoding")
                    || name.equalsIgnoreCase("host")) {
                return true;
            }
        }
        return false;
    }
}
