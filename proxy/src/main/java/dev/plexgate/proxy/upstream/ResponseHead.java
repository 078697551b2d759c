package dev.plexgate.proxy.upstream;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A response head from Plex kept as the bytes that came off the wire, with the place of each
 * field, instead of a header map that is built, edited and written out again. Most of a
 * response's fields pass through untouched, so the proxy only marks the few it drops
 * ({@link #drop}) and adds its own ({@link #append}); {@link #encode} then copies the kept lines
 * in runs. Decoding Plex's heads into Netty's header maps and encoding them again took about a
 * quarter of the event loops' Java samples at 64 connections of small requests; with this class
 * plexgate served 1.03x the requests at 0.91x the CPU per request (bench/ab.sh, 4 x 4).
 *
 * <p>{@link #parse} checks the grammar Netty's decoder checked (RFC 9112): an {@code HTTP/1.0} or
 * {@code HTTP/1.1} status line with a code of 100-599; field names made of token characters;
 * values without control characters other than HTAB; at most one Content-Length, all digits. It
 * is stricter where RFC 9112 leaves a proxy the choice: a line without a colon or one folded onto
 * the previous (obs-fold) makes the response invalid (502) rather than being repaired. Lines may
 * end in CRLF or a bare LF (section 2.2). Whitespace between a field name and its colon is
 * removed, as section 5.1 requires of a proxy.
 *
 * <p>Mutable like any message in flight, and confined to one event loop.
 */
public final class ResponseHead {

    private static final byte[] HTTP_1_1 = {'H', 'T', 'T', 'P', '/', '1', '.', '1', ' '};
    private static final byte[] HTTP_1_0 = {'H', 'T', 'T', 'P', '/', '1', '.', '0', ' '};
    private static final int VERSION_LENGTH = HTTP_1_1.length;
    /** Per field: where its name starts (bit-inverted once dropped) and ends, where its value starts and ends. */
    private static final int SLOTS = 4;
    private static final boolean[] TOKEN = new boolean[256];

    static {
        for (int c = '0'; c <= '9'; c++) {
            TOKEN[c] = true;
        }
        for (int c = 'A'; c <= 'Z'; c++) {
            TOKEN[c] = true;
            TOKEN[c + ('a' - 'A')] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TOKEN[c] = true;
        }
    }

    private final byte[] bytes;
    private final boolean http11;
    private final int status;
    /** The status line from the code to the end of the reason phrase: copied as it came. */
    private final int codeStart;
    private final int reasonEnd;
    private final int[] fields;
    private final int fieldCount;
    private final long contentLength;
    private final boolean transferEncoded;
    private final boolean chunked;
    private final boolean connectionClose;
    private final boolean connectionKeepAlive;
    private final List<String> connectionOptions;

    private boolean http10Out;
    private boolean bodyInChunks;
    private AsciiString[] appended;
    private int appendedCount;

    private ResponseHead(Parser parsed) {
        this.bytes = parsed.bytes;
        this.http11 = parsed.http11;
        this.status = parsed.status;
        this.codeStart = parsed.codeStart;
        this.reasonEnd = parsed.reasonEnd;
        this.fields = parsed.fields;
        this.fieldCount = parsed.fieldCount;
        this.contentLength = parsed.contentLength;
        this.transferEncoded = parsed.transferEncoded;
        this.chunked = parsed.chunked;
        this.connectionClose = parsed.connectionClose;
        this.connectionKeepAlive = parsed.connectionKeepAlive;
        this.connectionOptions = parsed.connectionOptions == null ? List.of() : parsed.connectionOptions;
    }

    /**
     * Parses a head: its status line and field lines with their line endings, without the blank
     * line that ends it.
     *
     * @throws InvalidResponseException naming what is wrong
     */
    public static ResponseHead parse(byte[] head) throws InvalidResponseException {
        return new ResponseHead(new Parser(head).parse());
    }

    public int status() {
        return status;
    }

    /** The Content-Length, or -1 when there is none. */
    public long contentLength() {
        return contentLength;
    }

    /** A Transfer-Encoding was sent: it overrides any Content-Length (RFC 9112 section 6.3). */
    public boolean transferEncoded() {
        return transferEncoded;
    }

    /** The final transfer coding is chunked; a Transfer-Encoding without it runs until the close. */
    public boolean chunked() {
        return chunked;
    }

    /** Plex may keep the connection for another exchange, going by its version and Connection. */
    public boolean keepAlive() {
        return http11 ? !connectionClose : connectionKeepAlive && !connectionClose;
    }

    /** Names the Connection fields list besides close, keep-alive and upgrade (hop-by-hop too). */
    public List<String> connectionOptions() {
        return connectionOptions;
    }

    public int fieldCount() {
        return fieldCount;
    }

    /** Field {@code i}'s name as it came, a view of the head's bytes. */
    public AsciiString name(int i) {
        int at = i * SLOTS;
        int start = nameStart(at);
        return new AsciiString(bytes, start, fields[at + 1] - start, false);
    }

    public int nameLength(int i) {
        int at = i * SLOTS;
        return fields[at + 1] - nameStart(at);
    }

    /** Whether field {@code i}'s name is {@code lowerCaseName}, ignoring case. */
    public boolean nameIs(int i, AsciiString lowerCaseName) {
        int at = i * SLOTS;
        int start = nameStart(at);
        return isName(bytes, start, fields[at + 1] - start, lowerCaseName);
    }

    private int nameStart(int at) {
        int start = fields[at];
        return start >= 0 ? start : ~start;
    }

    /** Leaves field {@code i} out of {@link #encode}. */
    public void drop(int i) {
        int at = i * SLOTS;
        fields[at] = ~nameStart(at);
    }

    /** Adds a field after the kept ones. */
    public void append(AsciiString name, AsciiString value) {
        if (appended == null) {
            appended = new AsciiString[8];
        } else if (appendedCount * 2 == appended.length) {
            appended = Arrays.copyOf(appended, appended.length * 2);
        }
        appended[appendedCount * 2] = name;
        appended[appendedCount * 2 + 1] = value;
        appendedCount++;
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

    /** How many bytes {@link #encode} returns. */
    private int encodedLength() {
        int length = VERSION_LENGTH + Math.max(reasonEnd - codeStart, 4) + 2;
        for (int i = 0; i < fieldCount; i++) {
            int at = i * SLOTS;
            if (fields[at] >= 0) {
                length += fields[at + 1] - fields[at] + fields[at + 3] - fields[at + 2] + 4;
            }
        }
        for (int i = 0; i < appendedCount * 2; i++) {
            length += appended[i].length() + 2;
        }
        return length + 2;
    }

    /**
     * The head as it goes on: the status line, the fields kept as {@code name: value}, the
     * appended ones, and the blank line. Assembled in one array (a run of kept lines that came in
     * exactly that form is one copy) so that the outgoing buffer takes it in one copy too.
     */
    public byte[] encode() {
        byte[] out = new byte[encodedLength()];
        byte[] version = http10Out ? HTTP_1_0 : HTTP_1_1;
        int at = put(version, 0, version.length, out, 0);
        at = put(bytes, codeStart, reasonEnd - codeStart, out, at);
        if (reasonEnd == codeStart + 3) {
            out[at++] = ' '; // the SP before an empty reason phrase is not optional
        }
        at = crlf(out, at);
        int runStart = -1;
        int runEnd = -1;
        for (int i = 0; i < fieldCount; i++) {
            int slot = i * SLOTS;
            int nameStart = fields[slot];
            if (nameStart < 0) {
                continue;
            }
            int nameEnd = fields[slot + 1];
            int valueStart = fields[slot + 2];
            int valueEnd = fields[slot + 3];
            boolean canonical = valueStart == nameEnd + 2 && bytes[nameEnd] == ':' && bytes[nameEnd + 1] == ' '
                    && valueEnd + 1 < bytes.length && bytes[valueEnd] == '\r' && bytes[valueEnd + 1] == '\n';
            if (canonical && nameStart == runEnd) {
                runEnd = valueEnd + 2;
                continue;
            }
            if (runStart >= 0) {
                at = put(bytes, runStart, runEnd - runStart, out, at);
                runStart = -1;
                runEnd = -1;
            }
            if (canonical) {
                runStart = nameStart;
                runEnd = valueEnd + 2;
            } else {
                at = line(bytes, nameStart, nameEnd - nameStart, bytes, valueStart, valueEnd - valueStart, out, at);
            }
        }
        if (runStart >= 0) {
            at = put(bytes, runStart, runEnd - runStart, out, at);
        }
        for (int i = 0; i < appendedCount; i++) {
            AsciiString name = appended[i * 2];
            AsciiString value = appended[i * 2 + 1];
            at = line(name.array(), name.arrayOffset(), name.length(), value.array(), value.arrayOffset(),
                    value.length(), out, at);
        }
        crlf(out, at);
        return out;
    }

    private static int line(byte[] name, int nameStart, int nameLength, byte[] value, int valueStart,
            int valueLength, byte[] out, int at) {
        at = put(name, nameStart, nameLength, out, at);
        out[at++] = ':';
        out[at++] = ' ';
        at = put(value, valueStart, valueLength, out, at);
        return crlf(out, at);
    }

    private static int put(byte[] from, int start, int length, byte[] out, int at) {
        System.arraycopy(from, start, out, at, length);
        return at + length;
    }

    private static int crlf(byte[] out, int at) {
        out[at] = '\r';
        out[at + 1] = '\n';
        return at + 2;
    }

    @Override
    public String toString() {
        return "ResponseHead(" + status + ", " + fieldCount + " fields)";
    }

    /** Whether {@code length} bytes from {@code start} spell {@code lowerCaseName}, ignoring ASCII case. */
    private static boolean isName(byte[] bytes, int start, int length, AsciiString lowerCaseName) {
        if (length != lowerCaseName.length()) {
            return false;
        }
        byte[] name = lowerCaseName.array();
        int offset = lowerCaseName.arrayOffset();
        for (int i = 0; i < length; i++) {
            int b = bytes[start + i];
            if (b >= 'A' && b <= 'Z') {
                b += 'a' - 'A';
            }
            if (b != name[offset + i]) {
                return false;
            }
        }
        return true;
    }

    /** One head's parse: the grammar, field positions and the framing facts. */
    private static final class Parser {
        final byte[] bytes;
        boolean http11;
        int status;
        int codeStart;
        int reasonEnd;
        int[] fields = new int[16 * SLOTS];
        int fieldCount;
        long contentLength = -1;
        boolean transferEncoded;
        boolean chunked;
        boolean connectionClose;
        boolean connectionKeepAlive;
        List<String> connectionOptions;

        Parser(byte[] bytes) {
            this.bytes = bytes;
        }

        Parser parse() throws InvalidResponseException {
            int lineEnd = lineEnd(0);
            statusLine(lineEnd);
            int at = next(lineEnd);
            while (at < bytes.length) {
                at = field(at);
            }
            return this;
        }

        /** Where the line starting at {@code from} ends: its CR or LF. */
        private int lineEnd(int from) throws InvalidResponseException {
            for (int i = from; i < bytes.length; i++) {
                if (bytes[i] == '\n') {
                    return i > from && bytes[i - 1] == '\r' ? i - 1 : i;
                }
            }
            throw new InvalidResponseException("a head line without a line ending");
        }

        private int next(int lineEnd) {
            return bytes[lineEnd] == '\r' ? lineEnd + 2 : lineEnd + 1;
        }

        private void statusLine(int end) throws InvalidResponseException {
            if (end < VERSION_LENGTH + 3 || !startsWith(HTTP_1_1, VERSION_LENGTH - 2) || bytes[VERSION_LENGTH - 1] != ' '
                    || (bytes[VERSION_LENGTH - 2] != '1' && bytes[VERSION_LENGTH - 2] != '0')) {
                throw new InvalidResponseException("a status line that is not HTTP/1.0 or HTTP/1.1 with a status code");
            }
            http11 = bytes[VERSION_LENGTH - 2] == '1';
            codeStart = VERSION_LENGTH;
            int code = 0;
            for (int i = codeStart; i < codeStart + 3; i++) {
                int digit = bytes[i] - '0';
                if (digit < 0 || digit > 9) {
                    throw new InvalidResponseException("a status code that is not three digits");
                }
                code = code * 10 + digit;
            }
            if (code < 100 || code > 599) {
                throw new InvalidResponseException("status code " + code + " outside 100-599");
            }
            status = code;
            int after = codeStart + 3;
            if (after < end && bytes[after] != ' ') {
                throw new InvalidResponseException("a status code that is not three digits");
            }
            for (int i = after; i < end; i++) {
                if (!fieldValueByte(bytes[i])) {
                    throw new InvalidResponseException("a control character in the reason phrase");
                }
            }
            reasonEnd = end;
        }

        private boolean startsWith(byte[] prefix, int length) {
            for (int i = 0; i < length; i++) {
                if (bytes[i] != prefix[i]) {
                    return false;
                }
            }
            return true;
        }

        /**
         * Parses the field line that starts at {@code start}, looking at each byte once (the
         * value's check also finds the line's end); returns where the next line starts.
         */
        private int field(int start) throws InvalidResponseException {
            int length = bytes.length;
            byte first = bytes[start];
            if (first == ' ' || first == '\t') {
                throw new InvalidResponseException("obsolete line folding (RFC 9112 section 5.2)");
            }
            if (first == '\r' || first == '\n') {
                throw new InvalidResponseException("an empty line inside the head");
            }
            int nameEnd = start;
            while (nameEnd < length && TOKEN[bytes[nameEnd] & 0xff]) {
                nameEnd++;
            }
            int colon = nameEnd;
            while (colon < length && (bytes[colon] == ' ' || bytes[colon] == '\t')) {
                colon++;
            }
            if (nameEnd == start || colon == length || bytes[colon] != ':') {
                throw new InvalidResponseException("a header line that is not a token name, a colon and a value");
            }
            int valueStart = colon + 1;
            while (valueStart < length && (bytes[valueStart] == ' ' || bytes[valueStart] == '\t')) {
                valueStart++;
            }
            int end = valueStart;
            while (end < length && fieldValueByte(bytes[end])) {
                end++;
            }
            int next;
            if (end == length) {
                throw new InvalidResponseException("a head line without a line ending");
            } else if (bytes[end] == '\n') {
                next = end + 1;
            } else if (bytes[end] == '\r' && end + 1 < length && bytes[end + 1] == '\n') {
                next = end + 2;
            } else {
                throw new InvalidResponseException("a control character in a header value");
            }
            int valueEnd = end;
            while (valueEnd > valueStart && (bytes[valueEnd - 1] == ' ' || bytes[valueEnd - 1] == '\t')) {
                valueEnd--;
            }
            if (fieldCount * SLOTS == fields.length) {
                fields = Arrays.copyOf(fields, fields.length * 2);
            }
            int at = fieldCount * SLOTS;
            fields[at] = start;
            fields[at + 1] = nameEnd;
            fields[at + 2] = valueStart;
            fields[at + 3] = valueEnd;
            fieldCount++;
            framing(start, nameEnd - start, valueStart, valueEnd);
            return next;
        }

        /** Notes what the framing fields say; every other field is just carried. */
        private void framing(int nameStart, int nameLength, int valueStart, int valueEnd)
                throws InvalidResponseException {
            if (isName(bytes, nameStart, nameLength, HttpHeaderNames.CONTENT_LENGTH)) {
                if (contentLength >= 0) {
                    throw new InvalidResponseException("more than one Content-Length");
                }
                contentLength = digits(valueStart, valueEnd);
            } else if (isName(bytes, nameStart, nameLength, HttpHeaderNames.TRANSFER_ENCODING)) {
                transferEncoded = true;
                int lastComma = valueEnd - 1;
                while (lastComma >= valueStart && bytes[lastComma] != ',') {
                    lastComma--;
                }
                chunked = tokenIs(lastComma + 1, valueEnd, HttpHeaderValues.CHUNKED);
            } else if (isName(bytes, nameStart, nameLength, HttpHeaderNames.CONNECTION)) {
                connectionTokens(valueStart, valueEnd);
            }
        }

        private long digits(int start, int end) throws InvalidResponseException {
            if (start == end || end - start > 18) {
                throw new InvalidResponseException("a Content-Length that is not a number");
            }
            long value = 0;
            for (int i = start; i < end; i++) {
                int digit = bytes[i] - '0';
                if (digit < 0 || digit > 9) {
                    throw new InvalidResponseException("a Content-Length that is not a number");
                }
                value = value * 10 + digit;
            }
            return value;
        }

        private void connectionTokens(int start, int end) {
            int tokenStart = start;
            for (int i = start; i <= end; i++) {
                if (i == end || bytes[i] == ',') {
                    if (tokenIs(tokenStart, i, HttpHeaderValues.CLOSE)) {
                        connectionClose = true;
                    } else if (tokenIs(tokenStart, i, HttpHeaderValues.KEEP_ALIVE)) {
                        connectionKeepAlive = true;
                    } else if (!tokenIs(tokenStart, i, HttpHeaderValues.UPGRADE)) {
                        String option = new String(bytes, tokenStart, i - tokenStart,
                                StandardCharsets.ISO_8859_1).trim();
                        if (!option.isEmpty()) {
                            if (connectionOptions == null) {
                                connectionOptions = new ArrayList<>(2);
                            }
                            connectionOptions.add(option);
                        }
                    }
                    tokenStart = i + 1;
                }
            }
        }

        /** Whether bytes {@code start..end}, whitespace around them aside, are {@code lowerCaseToken}. */
        private boolean tokenIs(int start, int end, AsciiString lowerCaseToken) {
            while (start < end && (bytes[start] == ' ' || bytes[start] == '\t')) {
                start++;
            }
            while (end > start && (bytes[end - 1] == ' ' || bytes[end - 1] == '\t')) {
                end--;
            }
            return isName(bytes, start, end - start, lowerCaseToken);
        }

        /** HTAB, SP, visible ASCII and obs-text (RFC 9110 section 5.5). */
        private static boolean fieldValueByte(byte b) {
            return b == '\t' || (b >= ' ' && b != 0x7f) || b < 0;
        }
    }
}
