package dev.plexgate.control.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class EventFilesTest {

    @TempDir
    Path dir;

    @Test
    void rotatedSince_oldestFirst_stopsAtTheFirstOlderOrMissing() throws IOException {
        Instant now = Instant.now();
        Path live = dir.resolve("events.jsonl");
        touch("events.jsonl.1", now.minus(Duration.ofMinutes(5)));
        touch("events.jsonl.2", now.minus(Duration.ofMinutes(50)));
        touch("events.jsonl.3", now.minus(Duration.ofHours(5)));
        touch("events.jsonl.4", now);

        assertThat(EventFiles.rotatedSince(live, now.minus(Duration.ofHours(1))))
                .containsExactly(dir.resolve("events.jsonl.2"), dir.resolve("events.jsonl.1"));
        assertThat(EventFiles.rotatedSince(live, Instant.EPOCH)).hasSize(4);
    }

    @Test
    void rotatedSince_none_empty() throws IOException {
        assertThat(EventFiles.rotatedSince(dir.resolve("events.jsonl"), Instant.EPOCH)).isEmpty();
    }

    private void touch(String name, Instant modified) throws IOException {
        Files.setLastModifiedTime(Files.writeString(dir.resolve(name), "{}\n"), FileTime.from(modified));
    }
}
