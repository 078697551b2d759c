package dev.plexgate.proxy.http;

import dev.plexgate.proxy.http1.FieldLines;
import dev.plexgate.proxy.http1.RequestHead;
import dev.plexgate.proxy.http1.ResponseHead;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.AsciiString;

/**
 * Rewrites message heads as they cross the proxy (DESIGN §3 steps 4 and 5), each kept as the
 * bytes it came as ({@link RequestHead}, {@link ResponseHead}): fields are dropped where they lie
 * and plexgate's own appended. Each hop's framing is decided here: both decoders hand over
 * de-chunked pieces, so {@code Transfer-Encoding: chunked} is set again wherever the next hop
 * must be told where the body ends.
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
    private final AsciiString upstreamAuthority;

    public ForwardingHeaders(boolean cacheBypass, String upstreamAuthority) {
        this.cacheBypass = cacheBypass;
        this.upstreamAuthority = AsciiString.of(upstreamAuthority);
    }

    /** How a response travels on: whether each side's connection can carry another exchange. */
    record ResponseFraming(boolean clientKeepAlive, boolean upstreamReusable) {
    }

    /**
     * Prepares a client's request for Plex: hop-by-hop headers out, claims from untrusted peers
     * out, and {@code X-Forwarded-*}/{@code X-Real-IP} replaced by the verified client (Plex
     * trusts {@code X-Forwarded-For} from a private peer, DESIGN §10).
     */
    void prepareRequest(RequestHead request, ClientAddress client, boolean websocket) {
        FieldLines fields = request.fields();
        HopByHopHeaders.strip(fields, websocket, !client.trustedPeer());
        if (fields.chunked()) {
            fields.append(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        int host = fields.indexOf(HttpHeaderNames.HOST, 0);
        if (host < 0) {
            fields.append(HttpHeaderNames.HOST, upstreamAuthority); // an HTTP/1.0 client may omit it
        } else {
            set(fields, X_FORWARDED_HOST, fields.valueView(host));
        }
        AsciiString address = AsciiString.of(client.address().getHostAddress());
        set(fields, X_FORWARDED_FOR, address);
        set(fields, X_REAL_IP, address);
        set(fields, X_FORWARDED_PROTO, client.https() ? HTTPS : HTTP);
    }

    private static void set(FieldLines fields, AsciiString name, AsciiString value) {
        fields.dropAll(name);
        fields.append(name, value);
    }

    /**
     * Prepares Plex's final response for the client and decides both connections' fate.
     *
     * @param http10Client         the client spoke HTTP/1.0 (no chunked framing for it)
     * @param clientWantsKeepAlive the client asked for keep-alive and the server is not draining
     */
    ResponseFraming prepareResponse(ResponseHead head, RequestHead request, boolean http10Client,
            boolean clientWantsKeepAlive) {
        int code = head.status();
        FieldLines fields = head.fields();
        boolean chunked = fields.chunked();
        boolean bodyless = HttpMethod.HEAD.equals(request.method()) || code == 204 || code == 304;
        boolean delimitedByClose = !chunked && !bodyless && (fields.transferEncoded() || fields.contentLength() < 0);
        boolean upstreamReusable = head.keepAlive() && !delimitedByClose;
        HopByHopHeaders.strip(fields, false, false);
        for (int i = 0; i < fields.count(); i++) {
            // A Transfer-Encoding makes any Content-Length wrong (RFC 9112 section 6.1); a 204 has
            // neither (section 6.3), and chunks are never announced for it below.
            if (((fields.transferEncoded() || code == 204) && fields.nameIs(i, HttpHeaderNames.CONTENT_LENGTH))
                    || (cacheBypass && isCacheControl(fields, i))) {
                fields.drop(i);
            }
        }

        boolean clientKeepAlive = clientWantsKeepAlive;
        if ((chunked || delimitedByClose) && code != 204) {
            if (http10Client) {
                clientKeepAlive = false; // HTTP/1.0 knows no chunks: the body ends when the connection does
            } else {
                fields.append(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
                head.sendBodyInChunks(!bodyless);
            }
        }
        if (!clientKeepAlive) {
            fields.append(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (http10Client) {
            fields.append(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        head.sendAsHttp10(http10Client);
        if (cacheBypass) {
            fields.append(HttpHeaderNames.CACHE_CONTROL, NO_STORE_PRIVATE);
            fields.append(CDN_CACHE_CONTROL, NO_STORE);
            fields.append(CLOUDFLARE_CDN_CACHE_CONTROL, NO_STORE);
        }
        return new ResponseFraming(clientKeepAlive, upstreamReusable);
    }

    private static boolean isCacheControl(FieldLines fields, int i) {
        return fields.nameIs(i, HttpHeaderNames.CACHE_CONTROL) || fields.nameIs(i, CDN_CACHE_CONTROL)
                || fields.nameIs(i, CLOUDFLARE_CDN_CACHE_CONTROL);
    }

    /** A websocket's {@code 101}: keeps {@code Upgrade} and {@code Connection: upgrade}, drops the rest. */
    void prepareUpgradeResponse(ResponseHead head) {
        HopByHopHeaders.strip(head.fields(), true, false);
    }
}
