package dev.plexgate.proxy.http1;

/**
 * A response head from Plex kept as the bytes that came off the wire: its status line and its
 * {@link FieldLines}, which {@code ForwardingHeaders} edits before the head goes on. Decoding
 * Plex's heads into Netty's header maps and encoding them again took about a quarter of the
 * event loops' Java samples at 64 connections of small requests; kept as bytes, plexgate served
 * 1.03x the requests at 0.91x the CPU per request (bench/ab.sh, 4 x 4).
 *
 * <p>{@link #parse} checks the grammar Netty's decoder checked (RFC 9112): an {@code HTTP/1.0} or
 * {@code HTTP/1.1} status line with a code of 100-599 and a reason phrase without control
 * characters, then the fields ({@link FieldLines.Strictness#RESPONSE}: lines may end in CRLF or a
 * bare LF, section 2.2).
 *
 * <p>Mutable like any message in flight, and confined to one event loop.
 */
public final class ResponseHead {

    private static final byte[] HTTP_1_1 = {'H', 'T', 'T', 'P', '/', '1', '.', '1', ' '};
    private static final byte[] HTTP_1_0 = {'H', 'T', 'T', 'P', '/', '1', '.', '0', ' '};
    private static final int VERSION_LENGTH = HTTP_1_1.length;

    private final byte[] bytes;
    private final boolean http11;
    private final int status;
    /** The status line from the code to the end of the reason phrase: copied as it came. */
    private final int reasonEnd;
    private final FieldLines fields;

    private boolean http10Out;
    private boolean bodyInChunks;

    private ResponseHead(byte[] bytes, boolean http11, int status, int reasonEnd, FieldLines fields) {
        this.bytes = bytes;
        this.http11 = http11;
        this.status = status;
        this.reasonEnd = reasonEnd;
        this.fields = fields;
    }

    /**
     * Parses a head: its status line and field lines with their line endings, without the blank
     * line that ends it.
     *
     * @param lines how many lines the head has ({@link HeadReader#linesOfLastHead}), or a guess:
     *              it sizes the field table
     * @throws MalformedMessageException naming what is wrong
     */
    public static ResponseHead parse(byte[] head, int lines) throws MalformedMessageException {
        int end = 0;
        while (end < head.length && head[end] != '\r' && head[end] != '\n') {
            end++;
        }
        int next = FieldLines.nextLine(head, end, false);
        if (next < 0) {
            throw new MalformedMessageException("a status line without a line ending");
        }
        if (end < VERSION_LENGTH + 3 || !startsWithVersion(head) || (head[VERSION_LENGTH - 2] != '1'
                && head[VERSION_LENGTH - 2] != '0')) {
            throw new MalformedMessageException("a status line that is not HTTP/1.0 or HTTP/1.1 with a status code");
        }
        int status = 0;
        for (int i = VERSION_LENGTH; i < VERSION_LENGTH + 3; i++) {
            int digit = head[i] - '0';
            if (digit < 0 || digit > 9) {
                throw new MalformedMessageException("a status code that is not three digits");
            }
            status = status * 10 + digit;
        }
        if (status < 100 || status > 599) {
            throw new MalformedMessageException("status code " + status + " outside 100-599");
        }
        int after = VERSION_LENGTH + 3;
        if (after < end && head[after] != ' ') {
            throw new MalformedMessageException("a status code that is not three digits");
        }
        for (int i = after; i < end; i++) {
            if (!FieldLines.fieldValueByte(head[i])) {
                throw new MalformedMessageException("a control character in the reason phrase");
            }
        }
        FieldLines fields = FieldLines.parse(head, next, lines - 1, FieldLines.Strictness.RESPONSE);
        return new ResponseHead(head, head[VERSION_LENGTH - 2] == '1', status, end, fields);
    }

    private static boolean startsWithVersion(byte[] head) {
        for (int i = 0; i < VERSION_LENGTH - 2; i++) {
            if (head[i] != HTTP_1_1[i]) {
                return false;
            }
        }
        return head[VERSION_LENGTH - 1] == ' ';
    }

    public int status() {
        return status;
    }

    public FieldLines fields() {
        return fields;
    }

    /** Plex may keep the connection for another exchange, going by its version and Connection. */
    public boolean keepAlive() {
        return fields.keepAlive(!http11);
    }

    /** Sends the status line as HTTP/1.0 (to a client that spoke it) rather than HTTP/1.1. */
    public void sendAsHttp10(boolean http10) {
        this.http10Out = http10;
    }

    /** The body goes on in chunks (it came in chunks, or runs until Plex closes). */
    public void sendBodyInChunks(boolean chunks) {
        this.bodyInChunks = chunks;
    }

    public boolean bodyInChunks() {
        return bodyInChunks;
    }

    /** How many bytes {@link #encode(byte[])} writes. */
    public int encodedLength() {
        return VERSION_LENGTH + Math.max(reasonEnd - VERSION_LENGTH, 4) + 2 + fields.encodedLength() + 2;
    }

    /**
     * Writes the head as it goes on into {@code out} (at least {@link #encodedLength} long): the
     * status line, the fields kept, the appended ones, and the blank line. Returns the length
     * written.
     */
    public int encode(byte[] out) {
        int statusLength = reasonEnd - VERSION_LENGTH;
        byte[] version = http10Out ? HTTP_1_0 : HTTP_1_1;
        int at = FieldLines.put(version, 0, version.length, out, 0);
        at = FieldLines.put(bytes, VERSION_LENGTH, statusLength, out, at);
        if (statusLength == 3) {
            out[at++] = ' '; // the SP before an empty reason phrase is not optional
        }
        at = FieldLines.crlf(out, at);
        at = fields.encode(out, at);
        return FieldLines.crlf(out, at);
    }

    @Override
    public String toString() {
        return "ResponseHead(" + status + ", " + fields.count() + " fields)";
    }
}
