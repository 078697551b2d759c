package dev.plexgate.proxy.events;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where security events go and how much of them is kept.
 *
 * @param file     the live file; rotated ones are {@code file.1} (newest) to {@code file.maxFiles}
 * @param maxSize  bytes after which the live file is rotated, 1 KiB to 1 GiB
 * @param maxFiles rotated files kept, 0 to 100; 0 starts the live file afresh on rotation
 */
public record EventLogSettings(Path file, int maxSize, int maxFiles) {

    public static final Path DEFAULT_FILE = Path.of("/var/lib/plexgate/events.jsonl");
    public static final int DEFAULT_MAX_SIZE = 10 * 1024 * 1024;
    public static final int DEFAULT_MAX_FILES = 5;
    public static final EventLogSettings DEFAULTS =
            new EventLogSettings(DEFAULT_FILE, DEFAULT_MAX_SIZE, DEFAULT_MAX_FILES);

    private static final int MIN_SIZE = 1024;
    private static final int MAX_SIZE = 1024 * 1024 * 1024;
    private static final int MAX_FILES = 100;

    public EventLogSettings {
        Objects.requireNonNull(file, "file");
        if (file.getFileName() == null) {
            throw new IllegalArgumentException("file " + file + " (expected: a file name, such as events.jsonl)");
        }
        range(maxSize, MIN_SIZE, MAX_SIZE, "max_size");
        range(maxFiles, 0, MAX_FILES, "max_files");
    }

    /** The {@code n}th rotated file, 1 being the newest. */
    public Path rotated(int n) {
        return file.resolveSibling(file.getFileName() + "." + n);
    }

    private static void range(int value, int min, int max, String name) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " " + value + " (expected: " + min + " to " + max + ")");
        }
    }
}
