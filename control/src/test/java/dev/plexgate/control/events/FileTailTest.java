package dev.plexgate.control.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class FileTailTest {

    @TempDir
    Path dir;

    private final List<String> lines = new ArrayList<>();

    @Test
    void readNew_onlyCompleteLines_thenTheRestOnceEnded() throws IOException {
        Path file = Files.writeString(dir.resolve("f"), "one\ntw");
        try (FileTail tail = new FileTail(file)) {
            tail.readNew(lines::add);
            assertThat(lines).containsExactly("one");

            append(file, "o\nthree");
            tail.readNew(lines::add);
            assertThat(lines).containsExactly("one", "two");

            tail.readRest(lines::add);
            assertThat(lines).containsExactly("one", "two", "three");
        }
    }

    @Test
    void readNew_fileNotThereYet_startsWhenItAppears() throws IOException {
        Path file = dir.resolve("f");
        try (FileTail tail = new FileTail(file)) {
            tail.readNew(lines::add);
            assertThat(lines).isEmpty();

            Files.writeString(file, "first\n");
            tail.readNew(lines::add);
            assertThat(lines).containsExactly("first");
        }
    }

    @Test
    void readNew_rotated_finishesTheOldFileThenReadsTheNewOne() throws IOException {
        Path file = Files.writeString(dir.resolve("f"), "a\n");
        try (FileTail tail = new FileTail(file)) {
            tail.readNew(lines::add);

            append(file, "b\n");
            Files.move(file, dir.resolve("f.1"), StandardCopyOption.REPLACE_EXISTING);
            tail.readNew(lines::add);
            assertThat(lines).containsExactly("a", "b");

            Files.writeString(file, "c\n");
            tail.readNew(lines::add);
            assertThat(lines).containsExactly("a", "b", "c");
        }
    }

    @Test
    void readNew_truncated_readsFromTheStart() throws IOException {
        Path file = Files.writeString(dir.resolve("f"), "a long first line\n");
        try (FileTail tail = new FileTail(file)) {
            tail.readNew(lines::add);

            Files.writeString(file, "new\n", StandardOpenOption.TRUNCATE_EXISTING);
            tail.readNew(lines::add);

            assertThat(lines).containsExactly("a long first line", "new");
        }
    }

    @Test
    void readNew_invalidUtf8_replacedNotFatal() throws IOException {
        Path file = Files.write(dir.resolve("f"), new byte[] {'o', 'k', (byte) 0xff, '\n'});
        try (FileTail tail = new FileTail(file)) {
            tail.readNew(lines::add);
        }

        assertThat(lines).containsExactly("ok\ufffd");
    }

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardOpenOption.APPEND);
    }
}
