package dev.plexgate.proxy.http1;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The field lines of one message head, kept in the head's bytes with the place of each name and
 * value, plus what the framing fields say. The proxy marks the few fields it drops
 * ({@link #drop}) and adds its own ({@link #append}); {@link #encode} then copies the kept lines,
 * a run of lines that came in canonical form ({@code name: value CRLF}) in one piece.
 *
 * <p>The grammar (RFC 9112 section 5, RFC 9110 section 5.5): names of token characters, values
 * without control characters other than HTAB, leading and trailing whitespace of a value not
 * part of it, at most one Content-Length, all digits. A line without a colon, or folded onto the
 * previous one (obs-fold), breaks the message: RFC 9112 lets a proxy repair both, but a repair is
 * where two parsers start to disagree. {@link Strictness#REQUEST} adds what a server must refuse
 * in a request: a line ending in a bare LF, and whitespace between a name and its colon
 * (section 5.1); Plex's responses may have both, and the whitespace is then removed.
 *
 * <p>Mutable like any message in flight, and confined to one event loop.
 */
public final class FieldLines {

    /** How far a head's lines may stray from canonical form. */
    public enum Strictness { REQUEST, RESPONSE }

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
    private int[] fields;
    private int count;
    private long contentLength = -1;
    private boolean transferEncoded;
    private boolean chunked;
    private boolean connectionClose;
    private boolean connectionKeepAlive;
    private boolean connectionUpgrade;
    private List<String> connectionOptions = List.of();
    private AsciiString[] appended;
    private int appendedCount;

    private FieldLines(byte[] bytes, int expectedCount) {
        this.bytes = bytes;
        this.fields = new int[Math.max(expectedCount, 1) * SLOTS];
    }

    /**
     * Parses the field lines of {@code head} from {@code from} to its end (the blank line that
     * ends a head is not part of it). {@code expectedCount} sizes the field table (it grows if
     * there are more).
     */
    static FieldLines parse(byte[] head, int from, int expectedCount, Strictness strictness)
            throws MalformedMessageException {
        FieldLines lines = new FieldLines(head, expectedCount);
        int at = from;
        while (at < head.length) {
            at = lines.field(at, strictness == Strictness.REQUEST);
        }
        return lines;
    }

    public int count() {
        return count;
    }

    /** The Content-Length, or -1 when there is none. */
    public long contentLength() {
        return contentLength;
    }

    /** A Transfer-Encoding was sent: it overrides any Content-Length (RFC 9112 section 6.3). */
    public boolean transferEncoded() {
        return transferEncoded;
    }

    /** The final transfer coding is chunked. */
    public boolean chunked() {
        return chunked;
    }

    /**
     * The connection may carry another message after this one, going by the Connection fields
     * and the message's version: HTTP/1.1 keeps it unless told {@code close}, HTTP/1.0 closes it
     * unless told {@code keep-alive} (RFC 9112 section 9.3).
     */
    boolean keepAlive(boolean http10) {
        return !connectionClose && (!http10 || connectionKeepAlive);
    }

    /** Connection lists {@code upgrade}. */
    public boolean connectionUpgrade() {
        return connectionUpgrade;
    }

    /** Names the Connection fields list besides close, keep-alive and upgrade (hop-by-hop too). */
    public List<String> connectionOptions() {
        return connectionOptions;
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
        return equalsLowerCase(bytes, start, fields[at + 1] - start, lowerCaseName);
    }

    /** Whether field {@code i}'s name starts with {@code lowerCasePrefix}, ignoring case. */
    public boolean nameStartsWith(int i, AsciiString lowerCasePrefix) {
        int at = i * SLOTS;
        int start = nameStart(at);
        return fields[at + 1] - start >= lowerCasePrefix.length()
                && equalsLowerCase(bytes, start, lowerCasePrefix.length(), lowerCasePrefix);
    }

    /** Field {@code i}'s value, one char per byte (the byte string form the rules read). */
    public String value(int i) {
        int at = i * SLOTS;
        return new String(bytes, fields[at + 2], fields[at + 3] - fields[at + 2], StandardCharsets.ISO_8859_1);
    }

    /** Field {@code i}'s value as a view of the head's bytes, to be appended elsewhere unchanged. */
    public AsciiString valueView(int i) {
        int at = i * SLOTS;
        return new AsciiString(bytes, fields[at + 2], fields[at + 3] - fields[at + 2], false);
    }

    /** The value of the first field called {@code lowerCaseName}, or null. */
    public String value(AsciiString lowerCaseName) {
        int i = indexOf(lowerCaseName, 0);
        return i < 0 ? null : value(i);
    }

    /** The values of every field called {@code lowerCaseName}, in order. */
    public List<String> values(AsciiString lowerCaseName) {
        int i = indexOf(lowerCaseName, 0);
        if (i < 0) {
            return List.of();
        }
        int next = indexOf(lowerCaseName, i + 1);
        if (next < 0) {
            return List.of(value(i));
        }
        List<String> values = new ArrayList<>(2);
        for (; i >= 0; i = indexOf(lowerCaseName, i + 1)) {
            values.add(value(i));
        }
        return values;
    }

    /**
     * The values of every field called {@code lowerCaseName} joined by {@code separator} (RFC 9110
     * section 5.3), or "" when there is none; the common single field costs no list.
     */
    public String joined(AsciiString lowerCaseName, String separator) {
        int i = indexOf(lowerCaseName, 0);
        if (i < 0) {
            return "";
        }
        return indexOf(lowerCaseName, i + 1) < 0 ? value(i) : String.join(separator, values(lowerCaseName));
    }

    /** The first field called {@code lowerCaseName} from field {@code from} on, or -1. */
    public int indexOf(AsciiString lowerCaseName, int from) {
        for (int i = from; i < count; i++) {
            if (nameIs(i, lowerCaseName)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether field {@code i}'s value lists {@code lowerCaseToken} among its comma-separated elements. */
    public boolean valueLists(int i, AsciiString lowerCaseToken) {
        int at = i * SLOTS;
        int end = fields[at + 3];
        int tokenStart = fields[at + 2];
        for (int j = tokenStart; j <= end; j++) {
            if (j == end || bytes[j] == ',') {
                if (tokenIs(bytes, tokenStart, j, lowerCaseToken)) {
                    return true;
                }
                tokenStart = j + 1;
            }
        }
        return false;
    }

    private int nameStart(int at) {
        int start = fields[at];
        return start >= 0 ? start : ~start;
    }

    /** Leaves field {@code i} out of {@link #encode}; it can still be read. */
    public void drop(int i) {
        int at = i * SLOTS;
        fields[at] = ~nameStart(at);
    }

    /** Drops every field called {@code lowerCaseName}. */
    public void dropAll(AsciiString lowerCaseName) {
        for (int i = indexOf(lowerCaseName, 0); i >= 0; i = indexOf(lowerCaseName, i + 1)) {
            drop(i);
        }
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

    /** How many bytes {@link #encode} writes. */
    int encodedLength() {
        int length = 0;
        for (int i = 0; i < count; i++) {
            int at = i * SLOTS;
            if (fields[at] >= 0) {
                length += fields[at + 1] - fields[at] + fields[at + 3] - fields[at + 2] + 4;
            }
        }
        for (int i = 0; i < appendedCount * 2; i++) {
            length += appended[i].length() + 2;
        }
        return length;
    }

    /** Writes the kept fields as {@code name: value CRLF}, then the appended ones, from {@code at}; returns the end. */
    int encode(byte[] out, int at) {
        int runStart = -1;
        int runEnd = -1;
        for (int i = 0; i < count; i++) {
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
        return at;
    }

    private static int line(byte[] name, int nameStart, int nameLength, byte[] value, int valueStart,
            int valueLength, byte[] out, int at) {
        at = put(name, nameStart, nameLength, out, at);
        out[at++] = ':';
        out[at++] = ' ';
        at = put(value, valueStart, valueLength, out, at);
        return crlf(out, at);
    }

    static int put(byte[] from, int start, int length, byte[] out, int at) {
        System.arraycopy(from, start, out, at, length);
        return at + length;
    }

    static int crlf(byte[] out, int at) {
        out[at] = '\r';
        out[at + 1] = '\n';
        return at + 2;
    }

    // ---- parsing -------------------------------------------------------------------------------

    /**
     * Parses the field line that starts at {@code start}, looking at each byte once (the value's
     * check also finds the line's end); returns where the next line starts.
     */
    private int field(int start, boolean strict) throws MalformedMessageException {
        int length = bytes.length;
        byte first = bytes[start];
        if (first == ' ' || first == '\t') {
            throw new MalformedMessageException("obsolete line folding in a header (RFC 9112 section 5.2)");
        }
        if (first == '\r' || first == '\n') {
            throw new MalformedMessageException("an empty line inside the head");
        }
        int nameEnd = start;
        while (nameEnd < length && TOKEN[bytes[nameEnd] & 0xff]) {
            nameEnd++;
        }
        int colon = nameEnd;
        while (!strict && colon < length && (bytes[colon] == ' ' || bytes[colon] == '\t')) {
            colon++;
        }
        if (nameEnd == start || colon == length || bytes[colon] != ':') {
            throw new MalformedMessageException("a header line that is not a token name, a colon and a value");
        }
        int valueStart = colon + 1;
        while (valueStart < length && (bytes[valueStart] == ' ' || bytes[valueStart] == '\t')) {
            valueStart++;
        }
        int end = valueStart;
        while (end < length && fieldValueByte(bytes[end])) {
            end++;
        }
        int next = nextLine(bytes, end, strict);
        if (next < 0) {
            throw new MalformedMessageException(end == length || bytes[end] == '\n'
                    ? "a header line without CRLF" : "a control character in a header value");
        }
        int valueEnd = end;
        while (valueEnd > valueStart && (bytes[valueEnd - 1] == ' ' || bytes[valueEnd - 1] == '\t')) {
            valueEnd--;
        }
        if (count * SLOTS == fields.length) {
            fields = Arrays.copyOf(fields, fields.length * 2);
        }
        int at = count * SLOTS;
        fields[at] = start;
        fields[at + 1] = nameEnd;
        fields[at + 2] = valueStart;
        fields[at + 3] = valueEnd;
        count++;
        framing(start, nameEnd - start, valueStart, valueEnd);
        return next;
    }

    /**
     * Where the line whose content ends at {@code end} is followed by the next one: after its
     * CRLF, or after a bare LF unless {@code strict}; -1 when {@code end} is not a line ending.
     */
    static int nextLine(byte[] bytes, int end, boolean strict) {
        if (end == bytes.length) {
            return -1;
        }
        if (bytes[end] == '\n') {
            return strict ? -1 : end + 1;
        }
        if (bytes[end] == '\r' && end + 1 < bytes.length && bytes[end + 1] == '\n') {
            return end + 2;
        }
        return -1;
    }

    /** Notes what the framing fields say; every other field is just carried. */
    private void framing(int nameStart, int nameLength, int valueStart, int valueEnd)
            throws MalformedMessageException {
        if (equalsLowerCase(bytes, nameStart, nameLength, HttpHeaderNames.CONTENT_LENGTH)) {
            if (contentLength >= 0) {
                throw new MalformedMessageException("more than one Content-Length");
            }
            contentLength = digits(valueStart, valueEnd);
        } else if (equalsLowerCase(bytes, nameStart, nameLength, HttpHeaderNames.TRANSFER_ENCODING)) {
            transferEncoded = true;
            int lastComma = valueEnd - 1;
            while (lastComma >= valueStart && bytes[lastComma] != ',') {
                lastComma--;
            }
            chunked = tokenIs(bytes, lastComma + 1, valueEnd, HttpHeaderValues.CHUNKED);
        } else if (equalsLowerCase(bytes, nameStart, nameLength, HttpHeaderNames.CONNECTION)) {
            connectionTokens(valueStart, valueEnd);
        }
    }

    private long digits(int start, int end) throws MalformedMessageException {
        if (start == end || end - start > 18) {
            throw new MalformedMessageException("a Content-Length that is not a number");
        }
        long value = 0;
        for (int i = start; i < end; i++) {
            int digit = bytes[i] - '0';
            if (digit < 0 || digit > 9) {
                throw new MalformedMessageException("a Content-Length that is not a number");
            }
            value = value * 10 + digit;
        }
        return value;
    }

    private void connectionTokens(int start, int end) {
        int tokenStart = start;
        for (int i = start; i <= end; i++) {
            if (i == end || bytes[i] == ',') {
                if (tokenIs(bytes, tokenStart, i, HttpHeaderValues.CLOSE)) {
                    connectionClose = true;
                } else if (tokenIs(bytes, tokenStart, i, HttpHeaderValues.KEEP_ALIVE)) {
                    connectionKeepAlive = true;
                } else if (tokenIs(bytes, tokenStart, i, HttpHeaderValues.UPGRADE)) {
                    connectionUpgrade = true;
                } else {
                    String option = new String(bytes, tokenStart, i - tokenStart, StandardCharsets.ISO_8859_1).trim();
                    if (!option.isEmpty()) {
                        if (connectionOptions.isEmpty()) {
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
    private static boolean tokenIs(byte[] bytes, int start, int end, AsciiString lowerCaseToken) {
        while (start < end && (bytes[start] == ' ' || bytes[start] == '\t')) {
            start++;
        }
        while (end > start && (bytes[end - 1] == ' ' || bytes[end - 1] == '\t')) {
            end--;
        }
        return equalsLowerCase(bytes, start, end - start, lowerCaseToken);
    }

    static boolean isToken(byte b) {
        return TOKEN[b & 0xff];
    }

    /** HTAB, SP, visible ASCII and obs-text (RFC 9110 section 5.5). */
    static boolean fieldValueByte(byte b) {
        return b == '\t' || (b >= ' ' && b != 0x7f) || b < 0;
    }

    /** Whether {@code length} bytes from {@code start} spell {@code lowerCase}, ignoring ASCII case. */
    static boolean equalsLowerCase(byte[] bytes, int start, int length, AsciiString lowerCase) {
        if (length != lowerCase.length()) {
            return false;
        }
        byte[] expected = lowerCase.array();
        int offset = lowerCase.arrayOffset();
        for (int i = 0; i < length; i++) {
            int b = bytes[start + i];
            if (b >= 'A' && b <= 'Z') {
                b += 'a' - 'A';
            }
            if (b != expected[offset + i]) {
                return false;
            }
        }
        return true;
    }
}
