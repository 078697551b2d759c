package dev.plexgate.proxy.policy.rules;

import dev.plexgate.proxy.policy.Cidr;
import dev.plexgate.proxy.policy.IpLiterals;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Decodes literal tokens; every failure is a {@link BadLiteral} spanning the offending part. */
final class Literals {

    private Literals() {
    }

    /** A quoted or raw string's value, one char per byte (the UTF-8 of the source text plus escaped bytes). */
    static String string(SourceText source, Token token) {
        StringBuilder out = new StringBuilder(token.contentEnd() - token.contentStart());
        if (token.kind() == Token.Kind.RAW_STRING) {
            ByteStrings.appendUtf8(out, source.text(), token.contentStart(), token.contentEnd());
            return out.toString();
        }
        String text = source.text();
        int i = token.contentStart();
        while (i < token.contentEnd()) {
            int escape = text.indexOf('\\', i);
            if (escape < 0 || escape >= token.contentEnd()) {
                ByteStrings.appendUtf8(out, text, i, token.contentEnd());
                break;
            }
            ByteStrings.appendUtf8(out, text, i, escape);
            i = escape + unescape(text, escape, token.contentEnd(), out);
        }
        return out.toString();
    }

    /** Appends the byte of the escape at {@code at}; returns its length. */
    private static int unescape(String text, int at, int end, StringBuilder out) {
        char kind = at + 1 < end ? text.charAt(at + 1) : ' ';
        if (kind == '"' || kind == '\\') {
            out.append(kind);
            return 2;
        }
        if (kind == 'x') {
            int value = digits(text, at + 2, end, 2, 16);
            if (value < 0) {
                throw new BadLiteral("invalid escape: '\\x' takes exactly 2 hex digits", at, Math.min(end, at + 4));
            }
            out.append((char) value);
            return 4;
        }
        if (kind >= '0' && kind <= '7') {
            int value = digits(text, at + 1, end, 3, 8);
            if (value < 0 || value > 0377) {
                throw new BadLiteral("invalid escape: an octal escape takes exactly 3 digits, at most \\377",
                        at, Math.min(end, at + 4));
            }
            out.append((char) value);
            return 4;
        }
        throw new BadLiteral("invalid escape '\\" + (at + 1 < end ? kind : "")
                + "' (expected: \\\", \\\\, \\xHH or \\OOO)", at, Math.min(end, at + 2));
    }

    private static int digits(String text, int from, int end, int count, int radix) {
        if (from + count > end) {
            return -1;
        }
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            int digit = c < 0x80 ? Character.digit(c, radix) : -1;
            if (digit < 0) {
                return -1;
            }
            value = value * radix + digit;
        }
        return value;
    }

    /** A decimal integer, optionally negative; no leading zeros and no hex, which Cloudflare reads otherwise. */
    static long integer(String text, int from, int to) {
        String digits = text.startsWith("-") ? text.substring(1) : text;
        if (digits.startsWith("0x") || digits.startsWith("0X")) {
            throw new BadLiteral("hexadecimal integer '" + text + "' is not allowed (expected: decimal)", from, to);
        }
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new BadLiteral("'" + text + "' is not an integer", from, to);
        }
        if (digits.length() > 1 && digits.charAt(0) == '0') {
            throw new BadLiteral("integer '" + text + "' has a leading zero, which Cloudflare reads as octal"
                    + " (expected: decimal without leading zeros)", from, to);
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new BadLiteral("integer '" + text + "' is out of range (expected: a 64-bit signed integer)", from, to);
        }
    }

    /**
     * A single IP address. IPv4-mapped IPv6 is refused: {@code ip.src} holds such clients as IPv4,
     * so the literal could never match at Cloudflare, but would here once folded.
     */
    static InetAddress address(String text, int from, int to) {
        InetAddress address = IpLiterals.tryParse(text);
        if (address == null) {
            throw new BadLiteral("'" + text + "' is not an IP address (expected: an IPv4 address such as"
                    + " 192.0.2.1 or an IPv6 address such as 2001:db8::1)", from, to);
        }
        if (address instanceof Inet4Address && text.indexOf(':') >= 0) {
            throw new BadLiteral("IPv4-mapped IPv6 address '" + text + "' (expected: the IPv4 form "
                    + address.getHostAddress() + ")", from, to);
        }
        return address;
    }

    /** One element of an IP set: an address, a strict CIDR or a range {@code a..b}. */
    static IpRangeSet.Entry ipSetEntry(String text, int from, int to) {
        int dots = text.indexOf("..");
        if (dots >= 0) {
            InetAddress first = address(text.substring(0, dots), from, from + dots);
            InetAddress last = address(text.substring(dots + 2), from + dots + 2, to);
            if (first.getClass() != last.getClass()) {
                throw new BadLiteral("IP range '" + text + "' mixes IPv4 and IPv6", from, to);
            }
            if (new BigInteger(1, first.getAddress()).compareTo(new BigInteger(1, last.getAddress())) > 0) {
                throw new BadLiteral("IP range '" + text + "' ends before it starts", from, to);
            }
            return new IpRangeSet.Entry(first, last);
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            InetAddress address = address(text, from, to);
            return new IpRangeSet.Entry(address, address);
        }
        address(text.substring(0, slash), from, from + slash);
        Cidr cidr;
        try {
            cidr = Cidr.parse(text);
        } catch (IllegalArgumentException e) {
            throw new BadLiteral("invalid CIDR '" + text + "': " + e.getMessage(), from, to);
        }
        byte[] last = cidr.network().getAddress();
        for (int bit = cidr.prefixLength(); bit < last.length * 8; bit++) {
            last[bit / 8] |= (byte) (0x80 >>> (bit % 8));
        }
        return new IpRangeSet.Entry(cidr.network(), fromBytes(last));
    }

    /** Never folds 16 bytes to IPv4, so that the last address of {@code ::/80} stays IPv6. */
    private static InetAddress fromBytes(byte[] address) {
        try {
            return address.length == 4 ? InetAddress.getByAddress(address) : Inet6Address.getByAddress(null, address, -1);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address of " + address.length + " bytes", e);
        }
    }
}
