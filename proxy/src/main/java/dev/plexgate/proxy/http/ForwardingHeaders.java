package dev.plexgate.proxy.http;

import dev.plexgate.proxy.upstream.ResponseHead;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

/**
 * Rewrites message heads as they cross the proxy (DESIGN §3 steps 4 and 5): a client's request
 * as Netty decoded it, Plex's response as the {@link ResponseHead} it came as. Each hop's framing
 * is decided here: both decoders hand over de-chunked pieces, so {@code Transfer-Encoding:
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
    ResponseFraming prepareResponse(ResponseHead head, HttpRequest request, boolean http10Client,
            boolean clientWantsKeepAlive) {
        int code = head.status();
        boolean chunked = head.chunked();
        boolean bodyless = HttpMethod.HEAD.equals(request.method()) || code == 204 || code == 304;
        boolean delimitedByClose = !chunked && !bodyless && (head.transferEncoded() || head.contentLength() < 0);
        boolean upstreamReusable = head.keepAlive() && !delimitedByClose;
        HopByHopHeaders.strip(head, false);
        for (int i = 0; i < head.fieldCount(); i++) {
            // A Transfer-Encoding makes any Content-Length wrong (RFC 9112 section 6.1); a 204 has
            // neither (section 6.3), and chunks are never announced for it below.
            if (((head.transferEncoded() || code == 204) && head.nameIs(i, HttpHeaderNames.CONTENT_LENGTH))
                    || (cacheBypass && isCacheControl(head, i))) {
                head.drop(i);
            }
        }

        boolean clientKeepAlive = clientWantsKeepAlive;
        if ((chunked || delimitedByClose) && code != 204) {
            if (http10Client) {
                clientKeepAlive = false; // HTTP/1.0 knows no chunks: the body ends when the connection does
            } else {
                head.append(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
                head.sendBodyInChunks(!bodyless);
            }
        }
        if (!clientKeepAlive) {
            head.append(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (http10Client) {
            head.append(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        head.sendAsHttp10(http10Client);
        if (cacheBypass) {
            head.append(HttpHeaderNames.CACHE_CONTROL, NO_STORE_PRIVATE);
            head.append(CDN_CACHE_CONTROL, NO_STORE);
            head.append(CLOUDFLARE_CDN_CACHE_CONTROL, NO_STORE);
        }
        return new ResponseFraming(clientKeepAlive, upstreamReusable);
    }

    private static boolean isCacheControl(ResponseHead head, int i) {
        return head.nameIs(i, HttpHeaderNames.CACHE_CONTROL) || head.nameIs(i, CDN_CACHE_CONTROL)
                || head.nameIs(i, CLOUDFLARE_CDN_CACHE_CONTROL);
    }

    /** A websocket's {@code 101}: keeps {@code Upgrade} and {@code Connection: upgrade}, drops the rest. */
    void prepareUpgradeResponse(ResponseHead head) {
        HopByHopHeaders.strip(head, true);
    }
}
