package dev.plexgate.proxy.testing;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The bytes of every media part the origin serves: a pure function of the offset, so a body of any
 * size can be produced, range-sliced and checked without ever being held in memory.
 */
final class GeneratedContent {

    /** Size of the pieces bodies are produced and hashed in. */
    static final int PIECE_SIZE = 64 * 1024;

    private GeneratedContent() {
    }

    static byte at(long offset) {
        return (byte) (offset * 31 + (offset >>> 8));
    }

    static void fill(byte[] target, int length, long offset) {
        for (int i = 0; i < length; i++) {
            target[i] = at(offset + i);
        }
    }

    static byte[] bytes(long offset, int length) {
        byte[] bytes = new byte[length];
        fill(bytes, length, offset);
        return bytes;
    }

    static String sha256(long offset, long length) {
        MessageDigest digest = newSha256();
        byte[] piece = new byte[PIECE_SIZE];
        for (long done = 0; done < length; ) {
            int n = (int) Math.min(PIECE_SIZE, length - done);
            fill(piece, n, offset + done);
            digest.update(piece, 0, n);
            done += n;
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK ships SHA-256", e);
        }
    }
}
