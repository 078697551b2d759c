package dev.plexgate.control.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The two steps every atomic replacement here shares: content on disk first, then the rename. */
final class Durable {

    private Durable() {
    }

    /** Writes {@code content} to the (new, empty) {@code file} and forces it to disk. */
    static void write(Path file, byte[] content) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }

    /** Makes renames in {@code directory} durable; some systems cannot open a directory, and then the renames must do. */
    static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException unsupported) {
            // The content is on disk already; only the directory entries may lag.
        }
    }
}
