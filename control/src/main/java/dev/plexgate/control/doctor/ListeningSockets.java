package dev.plexgate.control.doctor;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Who listens on a TCP port, from the kernel's tables ({@code /proc/net/tcp}, {@code /proc/net/tcp6}),
 * so that no packet has to be sent to find out.
 */
final class ListeningSockets {

    private static final String LISTEN = "0A";

    private ListeningSockets() {
    }

    /**
     * The local addresses of the LISTEN sockets on {@code port} in {@code table}.
     *
     * @throws IOException when the table cannot be read
     */
    static List<InetAddress> listening(Path table, int port) throws IOException {
        List<InetAddress> addresses = new ArrayList<>();
        for (String line : Files.readAllLines(table)) {
            // "  sl  local_address rem_address   st ...": the first line is the header.
            String[] fields = line.strip().split("\\s+");
            if (fields.length < 4 || !fields[0].endsWith(":") || !fields[3].equals(LISTEN)) {
                continue;
            }
            int colon = fields[1].indexOf(':');
            try {
                if (colon > 0 && Integer.parseInt(fields[1].substring(colon + 1), 16) == port) {
                    addresses.add(address(fields[1].substring(0, colon)));
                }
            } catch (NumberFormatException | UnknownHostException | StringIndexOutOfBoundsException e) {
                // Not a line the kernel writes: skipped rather than guessed at.
            }
        }
        return addresses;
    }

    /** The kernel prints each 32-bit word of the address in host order: little-endian on the usual machines. */
    private static InetAddress address(String hex) throws UnknownHostException {
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int i = 0; i < 4; i++) {
                int at = (word * 4 + 3 - i) * 2;
                bytes[word * 4 + i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
            }
        }
        return InetAddress.getByAddress(bytes);
    }
}
