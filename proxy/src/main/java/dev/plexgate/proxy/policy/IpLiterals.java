package dev.plexgate.proxy.policy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Strict IP address literals: never a DNS lookup, never the legacy forms the JDK tolerates
 * ({@code 1.2.3}, {@code 0x7f.1}, {@code 010.0.0.1}), and IPv4-mapped IPv6 folded to IPv4 so that a
 * rule written for {@code 203.0.113.7} also sees {@code ::ffff:203.0.113.7}.
 */
public final class IpLiterals {

    private IpLiterals() {
    }

    /**
     * Parses a dotted-quad IPv4 or an RFC 4291 IPv6 literal (no brackets, no zone).
     *
     * @throws IllegalArgumentException naming the text and what was expected
     */
    public static InetAddress parse(String text) {
        InetAddress address = text.indexOf(':') >= 0 ? parseIpv6(text) : parseIpv4(text);
        if (address == null) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address (expected: an IPv4 address"
                    + " such as 192.0.2.1 or an IPv6 address such as 2001:db8::1)");
        }
        return normalize(address);
    }

    /** The address, or null when {@code text} is not a strict IP literal. */
    public static InetAddress tryParse(String text) {
        InetAddress address = text.indexOf(':') >= 0 ? parseIpv6(text) : parseIpv4(text);
        return address == null ? null : normalize(address);
    }

    /** Folds {@code ::ffff:a.b.c.d} to {@code a.b.c.d}; other addresses are returned as they are. */
    public static InetAddress normalize(InetAddress address) {
        if (address instanceof Inet6Address) {
            byte[] bytes = address.getAddress();
            for (int i = 0; i < 10; i++) {
                if (bytes[i] != 0) {
                    return address;
                }
            }
            if (bytes[10] == (byte) 0xFF && bytes[11] == (byte) 0xFF) {
                return fromBytes(new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]});
            }
        }
        return address;
    }

    static InetAddress fromBytes(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("address of " + bytes.length + " bytes", e);
        }
    }

    private static InetAddress parseIpv4(String text) {
        byte[] bytes = new byte[4];
        int part = 0;
        int value = 0;
        int digits = 0;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : '.';
            if (c >= '0' && c <= '9') {
                if (digits == 1 && value == 0) {
                    return null; // a leading zero reads as octal elsewhere: refuse it
                }
                value = value * 10 + (c - '0');
                if (++digits > 3 || value > 255) {
                    return null;
                }
            } else if (c == '.') {
                if (digits == 0 || part == 4) {
                    return null;
                }
                bytes[part++] = (byte) value;
                value = 0;
                digits = 0;
            } else {
                return null;
            }
        }
        return part == 4 ? fromBytes(bytes) : null;
    }

    private static InetAddress parseIpv6(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean allowed = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
                    || c == ':' || c == '.';
            if (!allowed) {
                return null; // no brackets, zones or host names: the JDK would try DNS for some of them
            }
        }
        try {
            // With only hex digits, ':' and '.', the JDK parses a literal and never resolves.
            // The JDK returns IPv4-mapped literals as Inet4Address already.
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
