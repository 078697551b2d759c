package dev.plexgate.proxy.policy;

import java.net.InetAddress;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 network in CIDR notation, parsed strictly: the host bits must be zero, as
 * Cloudflare's engine requires ({@code 10.0.0.1/8} is an error, not {@code 10.0.0.0/8}).
 * A bare address is a network of one ({@code /32} or {@code /128}).
 */
public record Cidr(InetAddress network, int prefixLength) {

    public Cidr {
        int max = network.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException(
                    "prefix length " + prefixLength + " out of range (expected: 0 to " + max + ")");
        }
        if (!Arrays.equals(mask(network.getAddress(), prefixLength), network.getAddress())) {
            throw new IllegalArgumentException("host bits are set in " + network.getHostAddress() + "/"
                    + prefixLength + " (expected: " + mask(network, prefixLength).getHostAddress() + "/"
                    + prefixLength + ")");
        }
    }

    /**
     * Parses {@code 192.0.2.0/24}, {@code 2001:db8::/32} or a bare address.
     *
     * @throws IllegalArgumentException with a message that says what was expected
     */
    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        InetAddress address = IpLiterals.parse(slash < 0 ? text : text.substring(0, slash));
        int max = address.getAddress().length * 8;
        if (slash < 0) {
            return new Cidr(address, max);
        }
        String length = text.substring(slash + 1);
        if (length.isEmpty() || length.length() > 3 || !length.chars().allMatch(c -> c >= '0' && c <= '9')
                || (length.length() > 1 && length.charAt(0) == '0')) {
            throw new IllegalArgumentException("invalid prefix length '" + length + "' (expected: 0 to " + max + ")");
        }
        return new Cidr(address, Integer.parseInt(length));
    }

    /** True when {@code address} (already normalised: no IPv4-mapped IPv6) lies in this network. */
    public boolean contains(InetAddress address) {
        byte[] candidate = address.getAddress();
        byte[] net = network.getAddress();
        if (candidate.length != net.length) {
            return false;
        }
        int fullBytes = prefixLength / 8;
        for (int i = 0; i < fullBytes; i++) {
            if (candidate[i] != net[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (candidate[fullBytes] & mask) == (net[fullBytes] & 0xFF);
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefixLength;
    }

    private static InetAddress mask(InetAddress address, int prefixLength) {
        return IpLiterals.fromBytes(mask(address.getAddress(), prefixLength));
    }

    private static byte[] mask(byte[] address, int prefixLength) {
        byte[] masked = address.clone();
        for (int bit = prefixLength; bit < masked.length * 8; bit++) {
            masked[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return masked;
    }
}
