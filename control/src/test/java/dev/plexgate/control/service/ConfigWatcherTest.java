package dev.plexgate.control.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class ConfigWatcherTest {

    @TempDir
    Path dir;

    private final AtomicInteger calls = new AtomicInteger();

    @Test
    void editInPlace_callsBack() throws Exception {
        Path config = Files.writeString(dir.resolve("plexgate.yml"), "listen: 127.0.0.1:1\n");
        try (ConfigWatcher watcher = new ConfigWatcher(calls::incrementAndGet, Duration.ofMillis(50))) {
            watcher.watch(List.of(config));
            Files.writeString(config, "listen: 127.0.0.1:2\n");
            await().atMost(Duration.ofSeconds(20)).until(() -> calls.get() == 1);
        }
    }

    @Test
    void editorStyleRenameOverTheFile_callsBack() throws Exception {
        Path list = Files.writeString(dir.resolve("allow.list"), "203.0.113.7 bob\n");
        try (ConfigWatcher watcher = new ConfigWatcher(calls::incrementAndGet, Duration.ofMillis(50))) {
            watcher.watch(List.of(list));
            Path temp = Files.writeString(dir.resolve(".allow.list.swp"), "203.0.113.8 bob\n");
            Files.move(temp, list, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            await().atMost(Duration.ofSeconds(20)).until(() -> calls.get() >= 1);
        }
    }

    @Test
    void burstOfEdits_isOneCall() throws Exception {
        Path config = Files.writeString(dir.resolve("plexgate.yml"), "a\n");
        try (ConfigWatcher watcher = new ConfigWatcher(calls::incrementAndGet, Duration.ofMillis(300))) {
            watcher.watch(List.of(config));
            for (int i = 0; i < 5; i++) {
                Files.writeString(config, "edit " + i + "\n");
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> calls.get() >= 1);
            // A marker write after the burst proves the watcher is idle again with exactly one call so far.
            assertThat(calls.get()).isEqualTo(1);
            Files.writeString(config, "again\n");
            await().atMost(Duration.ofSeconds(20)).until(() -> calls.get() == 2);
        }
    }
}
