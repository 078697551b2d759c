package dev.plexgate.proxy.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

/**
 * Rewrites message heads as they cross the proxy (DESIGN §3 steps 4 and 5). Each hop's framing
 * is decided here: Netty's decoders hand over de-chunked pieces, so {@code Transfer-Encoding:
 * chunked} is set again wherever the next hop must be told where the body ends.
 */
public final class ForwardingHeaders {

    private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    private static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
    private static final AsciiString X_REAL_IP = AsciiString.cached("x-real-ip");
    private static final AsciiString CDN_CACHE_CONTROL = AsciiString.cached("cdn-cache-control");
    private static final AsciiString CLOUDFLARE_CDN_CACHE_CONTROL = AsciiString.cached("cloudflare-cdn-cache-control");
    private static final AsciiString NO_STORE_PRIVATE = AsciiString.cached("no-store, private");
    private static final AsciiString NO_STORE = AsciiString.cached("no-store");
    private static final AsciiString HTTPS = AsciiString.cached("https");
    private static final AsciiString HTTP = AsciiString.cached("http");

    private final boolean cacheBypass;
    private final String upstreamAuthority;

    public ForwardingHeaders(boolean cacheBypass, String upstreamAuthority) {
        this.cacheBypass = cacheBypass;
        this.upstreamAuthority = upstreamAuthority;
    }

    /** How a response travels on: whether each side's connection can carry another exchange. */
    record ResponseFraming(boolean clientKeepAlive, boolean upstreamReusable) {
    }

    /**
     * Prepares a client's request for Plex: hop-by-hop headers out, claims from untrusted peers
     * out, and {@code X-Forwarded-*}/{@code X-Real-IP} replaced by the verified client (Plex
     * trusts {@code X-Forwarded-For} from a private peer, DESIGN §10).
     */
    void prepareRequest(HttpRequest request, ClientAddress client, boolean websocket) {
        HttpHeaders headers = request.headers();
        boolean chunked = HttpUtil.isTransferEncodingChunked(request);
        String host = headers.get(HttpHeaderNames.HOST);
        HopByHopHeaders.strip(headers, websocket, !client.trustedPeer());
        if (chunked) {
            headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        if (host == null) {
            headers.set(HttpHeaderNames.HOST, upstreamAuthority); // an HTTP/1.0 client may omit it
        } else {
            headers.set(X_FORWARDED_HOST, host);
        }
        String address = client.address().getHostAddress();
        headers.set(X_FORWARDED_FOR, address);
        headers.set(X_REAL_IP, address);
        headers.set(X_FORWARDED_PROTO, client.https() ? HTTPS : HTTP);
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
    }

    /**
     * Prepares Plex's final response for the client and decides both connections' fate.
     *
     * @param http10Client         the client spoke HTTP/1.0 (no chunked framing for it)
     * @param clientWantsKeepAlive the client asked for keep-alive and the server is not draining
     */
    ResponseFraming prepareResponse(HttpResponse response, HttpRequest request, boolean http10Client,
            boolean clientWantsKeepAlive) {
        HttpHeaders headers = response.headers();
        int code = response.status().code();
        boolean chunked = HttpUtil.isTransferEncodingChunked(response);
        boolean bodyless = HttpMethod.HEAD.equals(request.method()) || code == 204 || code == 304;
        boolean delimitedByClose = !chunked && !bodyless && !headers.contains(HttpHeaderNames.CONTENT_LENGTH);
        boolean upstreamReusable = HttpUtil.isKeepAlive(response) && !delimitedByClose;
        HopByHopHeaders.strip(headers, false, false);

        boolean clientKeepAlive = clientWantsKeepAlive;
        if (chunked || delimitedByClose) {
            if (http10Client) {
                clientKeepAlive = false; // HTTP/1.0 knows no chunks: the body ends when the connection does
            } else {
                headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            }
        }
        if (!clientKeepAlive) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (http10Client) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        response.setProtocolVersion(http10Client ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1);
        if (cacheBypass) {
            headers.set(HttpHeaderNames.CACHE_CONTROL, NO_STORE_PRIVATE);
            headers.set(CDN_CACHE_CONTROL, NO_STORE);
            headers.set(CLOUDFLARE_CDN_CACHE_CONTROL, NO_STORE);
        }
        return new ResponseFraming(clientKeepAlive, upstreamReusable);
    }

    /** A websocket's {@code 101}: keeps {@code Upgrade} and {@code Connection: upgrade}, drops the rest. */
    void prepareUpgradeResponse(HttpResponse response) {
        HopByHopHeaders.strip(response.headers(), true, false);
    }
}
