package dev.plexgate.proxy.http1;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.charset.StandardCharsets;

/**
 * A client's request head kept as the bytes that came off the wire: its request line and its
 * {@link FieldLines}, read by the rules and the client-address resolver and edited by
 * {@code ForwardingHeaders} before the head goes on to Plex as {@code HTTP/1.1}.
 *
 * <p>{@link #parse} checks the grammar of RFC 9112: a request line of a token method, a target of
 * visible ASCII and an {@code HTTP/x.y} version, single spaces between; fields with
 * {@link FieldLines.Strictness#REQUEST} (CRLF only, no whitespace before a colon); and a framing
 * a proxy can forward without two parsers disagreeing on where the body ends (sections 6.1 and
 * 6.3): no Transfer-Encoding together with a Content-Length or in HTTP/1.0, and chunked as a
 * Transfer-Encoding's final coding. Which versions, methods, targets and Hosts are welcome is not
 * grammar: {@code RequestValidator} judges those.
 *
 * <p>Mutable like any message in flight, and confined to one event loop.
 */
public final class RequestHead {

    private static final byte[] HTTP_1_1 = {' ', 'H', 'T', 'T', 'P', '/', '1', '.', '1', '\r', '\n'};
    private static final int VERSION_LENGTH = 8;

    private final byte[] bytes;
    private final HttpMethod method;
    /** The request line's method and target, up to the space before the version. */
    private final int targetEnd;
    private final int major;
    private final int minor;
    private final FieldLines fields;
    private String uri;

    private RequestHead(byte[] bytes, HttpMethod method, int targetEnd, int major, int minor, FieldLines fields) {
        this.bytes = bytes;
        this.method = method;
        this.targetEnd = targetEnd;
        this.major = major;
        this.minor = minor;
        this.fields = fields;
    }

    /**
     * Parses a head: its request line and field lines with their line endings, without the
     * blank line that ends it.
     *
     * @param lines how many lines the head has ({@link HeadReader#linesOfLastHead}), or a guess:
     *              it sizes the field table
     * @throws MalformedMessageException naming what is wrong
     */
    public static RequestHead parse(byte[] head, int lines) throws MalformedMessageException {
        int methodEnd = 0;
        while (methodEnd < head.length && FieldLines.isToken(head[methodEnd])) {
            methodEnd++;
        }
        int targetEnd = methodEnd + 1;
        while (targetEnd < head.length && head[targetEnd] > ' ' && head[targetEnd] != 0x7f) {
            targetEnd++;
        }
        int version = targetEnd + 1;
        if (methodEnd == 0 || targetEnd == methodEnd + 1 || version + VERSION_LENGTH > head.length
                || head[methodEnd] != ' ' || head[targetEnd] != ' ' || !isVersion(head, version)) {
            throw new MalformedMessageException("a request line that is not a method, a target and an HTTP version");
        }
        int next = FieldLines.nextLine(head, version + VERSION_LENGTH, true);
        if (next < 0) {
            throw new MalformedMessageException("a request line that does not end in CRLF after its version");
        }
        int major = head[version + 5] - '0';
        int minor = head[version + 7] - '0';
        FieldLines fields = FieldLines.parse(head, next, lines - 1, FieldLines.Strictness.REQUEST);
        if (fields.transferEncoded()) {
            if (fields.contentLength() >= 0) {
                throw new MalformedMessageException("both Content-Length and Transfer-Encoding");
            }
            if (major == 1 && minor == 0) {
                throw new MalformedMessageException("a Transfer-Encoding in an HTTP/1.0 request");
            }
            if (!fields.chunked()) {
                throw new MalformedMessageException("a Transfer-Encoding that does not end in chunked");
            }
        }
        return new RequestHead(head, method(head, methodEnd), targetEnd, major, minor, fields);
    }

    /** {@code HTTP/} DIGIT {@code .} DIGIT from {@code at}. */
    private static boolean isVersion(byte[] head, int at) {
        return head[at] == 'H' && head[at + 1] == 'T' && head[at + 2] == 'T' && head[at + 3] == 'P'
                && head[at + 4] == '/' && isDigit(head[at + 5]) && head[at + 6] == '.' && isDigit(head[at + 7]);
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    /** Netty's constant for the methods Plex's clients use, without building a string for them. */
    private static HttpMethod method(byte[] head, int length) {
        HttpMethod known = switch (length) {
            case 3 -> is(head, HttpMethod.GET) ? HttpMethod.GET : is(head, HttpMethod.PUT) ? HttpMethod.PUT : null;
            case 4 -> is(head, HttpMethod.POST) ? HttpMethod.POST : is(head, HttpMethod.HEAD) ? HttpMethod.HEAD : null;
            case 6 -> is(head, HttpMethod.DELETE) ? HttpMethod.DELETE : null;
            case 7 -> is(head, HttpMethod.OPTIONS) ? HttpMethod.OPTIONS : null;
            default -> null;
        };
        return known != null ? known : HttpMethod.valueOf(new String(head, 0, length, StandardCharsets.US_ASCII));
    }

    private static boolean is(byte[] head, HttpMethod method) {
        byte[] name = method.asciiName().array();
        int offset = method.asciiName().arrayOffset();
        for (int i = 0; i < method.asciiName().length(); i++) {
            if (head[i] != name[offset + i]) {
                return false;
            }
        }
        return true;
    }

    public HttpMethod method() {
        return method;
    }

    /** The request target as it came (origin form: path and query). */
    public String uri() {
        if (uri == null) {
            int start = method.asciiName().length() + 1;
            uri = new String(bytes, start, targetEnd - start, StandardCharsets.ISO_8859_1);
        }
        return uri;
    }

    public int majorVersion() {
        return major;
    }

    public int minorVersion() {
        return minor;
    }

    public boolean http10() {
        return major == 1 && minor == 0;
    }

    public FieldLines fields() {
        return fields;
    }

    /** The client may send another request on this connection, going by its version and Connection. */
    public boolean keepAlive() {
        return fields.keepAlive(http10());
    }

    /** A body follows the head. */
    public boolean hasBody() {
        return fields.chunked() || fields.contentLength() > 0;
    }

    /** {@code Expect: 100-continue} from an HTTP/1.1 client (RFC 9110 section 10.1.1). */
    public boolean expectsContinue() {
        if (http10()) {
            return false;
        }
        int expect = fields.indexOf(HttpHeaderNames.EXPECT, 0);
        return expect >= 0 && fields.valueLists(expect, HttpHeaderValues.CONTINUE);
    }

    /** An {@code Upgrade: websocket} handshake ({@code Connection: upgrade} with it). */
    public boolean websocketUpgrade() {
        if (!fields.connectionUpgrade()) {
            return false;
        }
        for (int i = fields.indexOf(HttpHeaderNames.UPGRADE, 0); i >= 0; i = fields.indexOf(HttpHeaderNames.UPGRADE, i + 1)) {
            if (fields.valueLists(i, HttpHeaderValues.WEBSOCKET)) {
                return true;
            }
        }
        return false;
    }

    /** How many bytes {@link #encode(byte[])} writes. */
    public int encodedLength() {
        return targetEnd + HTTP_1_1.length + fields.encodedLength() + 2;
    }

    /**
     * Writes the head as it goes to Plex into {@code out} (at least {@link #encodedLength} long):
     * the method and target as they came, {@code HTTP/1.1}, the fields kept, the appended ones
     * and the blank line. Returns the length written.
     */
    public int encode(byte[] out) {
        int at = FieldLines.put(bytes, 0, targetEnd, out, 0);
        at = FieldLines.put(HTTP_1_1, 0, HTTP_1_1.length, out, at);
        at = fields.encode(out, at);
        return FieldLines.crlf(out, at);
    }

    @Override
    public String toString() {
        return "RequestHead(" + method + ", " + fields.count() + " fields)";
    }
}
