package dev.plexgate.control.doctor;

import dev.plexgate.proxy.policy.IpLiterals;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A Plex network list ({@code allowedNetworks}, {@code LanNetworksBandwidth}): comma-separated
 * addresses and networks, written {@code 192.168.1.0/24} or {@code 192.168.1.0/255.255.255.0}.
 */
final class NetworkList {

    private static final InetAddress LOOPBACK_V4 = IpLiterals.parse("127.0.0.1");
    private static final InetAddress LOOPBACK_V6 = IpLiterals.parse("::1");

    private NetworkList() {
    }

    /**
     * The entries that contain a loopback address: loopback itself, a catch-all, or a wider range
     * around 127.0.0.0/8. Behind plexgate every request reaches Plex from loopback.
     */
    static List<String> coveringLoopback(String list) {
        List<String> found = new ArrayList<>();
        for (String entry : list.split(",")) {
            String trimmed = entry.strip();
            if (!trimmed.isEmpty() && coversLoopback(trimmed)) {
                found.add(trimmed);
            }
        }
        return found;
    }

    private static boolean coversLoopback(String entry) {
        int slash = entry.indexOf('/');
        InetAddress network;
        try {
            network = IpLiterals.parse(slash < 0 ? entry : entry.substring(0, slash));
        } catch (IllegalArgumentException e) {
            return false; // Plex ignores what it cannot read too.
        }
        byte[] bytes = network.getAddress();
        int prefix = slash < 0 ? bytes.length * 8 : prefixLength(entry.substring(slash + 1), bytes.length * 8);
        InetAddress loopback = bytes.length == 4 ? LOOPBACK_V4 : LOOPBACK_V6;
        return prefix >= 0 && samePrefix(bytes, loopback.getAddress(), prefix);
    }

    /** {@code 24} or {@code 255.255.255.0}; -1 when it is neither. */
    private static int prefixLength(String text, int max) {
        if (text.chars().allMatch(Character::isDigit) && !text.isEmpty() && text.length() <= 3) {
            int length = Integer.parseInt(text);
            return length <= max ? length : -1;
        }
        try {
            byte[] mask = IpLiterals.parse(text).getAddress();
            int length = 0;
            for (byte b : mask) {
                length += Integer.bitCount(b & 0xff);
            }
            return mask.length * 8 == max ? length : -1;
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    private static boolean samePrefix(byte[] a, byte[] b, int bits) {
        for (int i = 0; i < bits; i++) {
            int bit = 0x80 >>> (i % 8);
            if ((a[i / 8] & bit) != (b[i / 8] & bit)) {
                return false;
            }
        }
        return true;
    }
}
