package dev.plexgate.control.events;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.function.Consumer;

/**
 * Reads a file's lines as they are appended, like {@code tail -f}: each {@link #readNew} hands
 * over the complete lines added since the last one. When the file is rotated away (a new file,
 * another inode) or truncated, the rest of the old file is read first, then the new one from its
 * start, so no line is lost or repeated. Not thread-safe: one poller at a time.
 */
public final class FileTail implements AutoCloseable {

    private final Path file;
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private FileChannel channel;
    private Object fileKey;
    private long position;

    public FileTail(Path file) {
        this.file = file;
    }

    /** Hands each complete line appended since the last call to {@code lines}, in order. */
    public void readNew(Consumer<String> lines) throws IOException {
        if (channel == null && !open()) {
            return;
        }
        readToEnd(lines);
        BasicFileAttributes now;
        try {
            now = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return; // between the rename and the writer's next file: keep the old one for now
        }
        boolean replaced = fileKey != null && !fileKey.equals(now.fileKey());
        if (replaced || now.size() < position) {
            // The writer finished the old file before renaming it: what it wrote since the read above.
            readToEnd(lines);
            // An unfinished line of the old file will not be finished.
            partial.reset();
            channel.close();
            channel = null;
            if (open()) {
                readToEnd(lines);
            }
        }
    }

    /** Hands over a last line that has no line end yet: for a reader that stops here. */
    public void readRest(Consumer<String> lines) throws IOException {
        readNew(lines);
        if (partial.size() > 0) {
            lines.accept(partial.toString(StandardCharsets.UTF_8));
            partial.reset();
        }
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }

    private boolean open() throws IOException {
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return false;
        }
        fileKey = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        position = 0;
        return true;
    }

    private void readToEnd(Consumer<String> lines) throws IOException {
        while (true) {
            buffer.clear();
            int read = channel.read(buffer, position);
            if (read <= 0) {
                return;
            }
            position += read;
            byte[] bytes = buffer.array();
            int start = 0;
            for (int i = 0; i < read; i++) {
                if (bytes[i] == '\n') {
                    partial.write(bytes, start, i - start);
                    lines.accept(partial.toString(StandardCharsets.UTF_8));
                    partial.reset();
                    start = i + 1;
                }
            }
            partial.write(bytes, start, read - start);
        }
    }
}
