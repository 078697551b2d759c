package dev.plexgate.control.events;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The rotated events files next to the live one, as the proxy's event log names them. */
public final class EventFiles {

    /** The proxy keeps at most this many. */
    private static final int MAX_ROTATED = 100;

    private EventFiles() {
    }

    /**
     * {@code file.N} down to {@code file.1}, oldest first, without those last written before
     * {@code since}: every event in them is older.
     */
    public static List<Path> rotatedSince(Path file, Instant since) throws IOException {
        List<Path> newestFirst = new ArrayList<>();
        for (int n = 1; n <= MAX_ROTATED; n++) {
            Path rotated = file.resolveSibling(file.getFileName() + "." + n);
            if (!Files.exists(rotated) || Files.getLastModifiedTime(rotated).toInstant().isBefore(since)) {
                break;
            }
            newestFirst.add(rotated);
        }
        Collections.reverse(newestFirst);
        return newestFirst;
    }
}
