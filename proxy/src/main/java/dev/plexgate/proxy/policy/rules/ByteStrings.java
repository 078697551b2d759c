package dev.plexgate.proxy.policy.rules;

import java.nio.charset.StandardCharsets;

/**
 * Byte strings as Java strings with one char per byte (ISO-8859-1), the form Netty's HTTP codec
 * gives header values in. Comparisons, lengths and regexes then work on bytes, as at Cloudflare,
 * without converting anything per request.
 */
final class ByteStrings {

    private ByteStrings() {
    }

    /** {@code text} unchanged when it is already one char per byte, else its UTF-8 bytes as chars. */
    static String fromText(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0xFF) {
                return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
            }
        }
        return text;
    }

    /** Appends the UTF-8 bytes of source chars {@code [from, to)}, one char per byte. */
    static void appendUtf8(StringBuilder out, String source, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = source.charAt(i);
            if (c < 0x80) {
                out.append(c);
            } else {
                int next = i + 1;
                if (Character.isHighSurrogate(c) && next < to) {
                    next++;
                }
                out.append(new String(source.substring(i, next).getBytes(StandardCharsets.UTF_8),
                        StandardCharsets.ISO_8859_1));
                i = next - 1;
            }
        }
    }

    static String lowerAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                char[] chars = s.toCharArray();
                for (int j = i; j < chars.length; j++) {
                    if (chars[j] >= 'A' && chars[j] <= 'Z') {
                        chars[j] += 'a' - 'A';
                    }
                }
                return new String(chars);
            }
        }
        return s;
    }

    static String upperAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'a' && c <= 'z') {
                char[] chars = s.toCharArray();
                for (int j = i; j < chars.length; j++) {
                    if (chars[j] >= 'a' && chars[j] <= 'z') {
                        chars[j] -= 'a' - 'A';
                    }
                }
                return new String(chars);
            }
        }
        return s;
    }

    static char foldAscii(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }

    /**
     * {@code url_decode}: {@code %XX} and {@code +} (space); with {@code unicode}, {@code %uXXXX} as the
     * UTF-8 of that code unit (surrogate pairs joined); with {@code repeat}, until nothing changes.
     * Malformed escapes stay as they are.
     */
    static String urlDecode(String s, boolean repeat, boolean unicode) {
        String decoded = urlDecodeOnce(s, unicode);
        while (repeat && !decoded.equals(s)) {
            s = decoded;
            decoded = urlDecodeOnce(s, unicode);
        }
        return decoded;
    }

    private static String urlDecodeOnce(String s, boolean unicode) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+') {
                out.append(' ');
            } else if (c == '%' && hexAt(s, i + 1, 2) >= 0) {
                out.append((char) hexAt(s, i + 1, 2));
                i += 2;
            } else if (c == '%' && unicode && (s.startsWith("u", i + 1) || s.startsWith("U", i + 1))
                    && hexAt(s, i + 2, 4) >= 0) {
                char unit = (char) hexAt(s, i + 2, 4);
                i += 5;
                if (Character.isHighSurrogate(unit) && (s.startsWith("%u", i + 1) || s.startsWith("%U", i + 1))
                        && hexAt(s, i + 3, 4) >= 0 && Character.isLowSurrogate((char) hexAt(s, i + 3, 4))) {
                    appendUtf8(out, new String(new char[] {unit, (char) hexAt(s, i + 3, 4)}), 0, 2);
                    i += 6;
                } else {
                    appendUtf8(out, String.valueOf(unit), 0, 1);
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The value of {@code digits} hex digits at {@code from}, or -1. */
    private static int hexAt(String s, int from, int digits) {
        if (from + digits > s.length()) {
            return -1;
        }
        int value = 0;
        for (int i = from; i < from + digits; i++) {
            int digit = Character.digit(s.charAt(i), 16);
            if (digit < 0) {
                return -1;
            }
            value = value * 16 + digit;
        }
        return value;
    }
}
