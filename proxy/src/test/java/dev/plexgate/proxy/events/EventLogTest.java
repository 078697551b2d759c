package dev.plexgate.proxy.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.plexgate.proxy.events.SecurityEvent.Action;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
final class EventLogTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private Logger logger;
    private Level level;

    @BeforeEach
    void captureLog() {
        logger = (Logger) LoggerFactory.getLogger(EventLog.class);
        level = logger.getLevel();
        logger.setLevel(Level.INFO);
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void releaseLog() {
        logger.detachAppender(logged);
        logger.setLevel(level);
    }

    @Test
    void record_appendsOneJsonLinePerEvent_inOrder() throws IOException {
        Path file = dir.resolve("events.jsonl");
        List<SecurityEvent> events = IntStream.range(0, 3).mapToObj(EventLogTest::event).toList();

        try (EventLog log = EventLog.open(new EventLogSettings(file, 1024 * 1024, 5))) {
            events.forEach(log::record);
        }

        assertThat(Files.readAllLines(file)).containsExactlyElementsOf(events.stream().map(EventJson::line).toList());
    }

    @Test
    void record_beyondMaxSize_rotatesAndKeepsMaxFiles() throws IOException {
        Path file = dir.resolve("events.jsonl");
        EventLogSettings settings = new EventLogSettings(file, 1024, 2);

        try (EventLog log = EventLog.open(settings)) {
            IntStream.range(0, 30).mapToObj(EventLogTest::event).forEach(log::record);
        }

        assertThat(files()).containsExactly("events.jsonl", "events.jsonl.1", "events.jsonl.2");
        List<String> rays = new ArrayList<>();
        for (Path part : List.of(settings.rotated(2), settings.rotated(1), file)) {
            assertThat(Files.size(part)).isPositive().isLessThanOrEqualTo(1024);
            Files.readAllLines(part).forEach(line -> rays.add(ray(line)));
        }
        // Oldest first across the files, ending with the last event, and only whole lines.
        int first = 30 - rays.size();
        assertThat(rays).containsExactlyElementsOf(IntStream.range(first, 30).mapToObj(n -> "r" + n).toList());
    }

    @Test
    void record_maxFilesZero_startsTheFileAfresh() throws IOException {
        Path file = dir.resolve("events.jsonl");

        try (EventLog log = EventLog.open(new EventLogSettings(file, 1024, 0))) {
            IntStream.range(0, 30).mapToObj(EventLogTest::event).forEach(log::record);
        }

        assertThat(files()).containsExactly("events.jsonl");
        assertThat(Files.size(file)).isLessThanOrEqualTo(1024);
        List<String> lines = Files.readAllLines(file);
        assertThat(ray(lines.get(lines.size() - 1))).isEqualTo("r29");
    }

    @Test
    void missingDirectory_dropsAndCounts_warnsOnce_thenRecovers() throws IOException {
        Path missing = dir.resolve("not-yet");
        Path file = missing.resolve("events.jsonl");
        try (EventLog log = EventLog.open(new EventLogSettings(file, 1024 * 1024, 5))) {
            for (int i = 0; i < 5; i++) {
                log.record(event(i));
            }
            await().atMost(PATIENCE).until(() -> log.droppedEvents() == 5 && levels().contains(Level.WARN));
            assertThat(levels()).containsExactly(Level.WARN);
            assertThat(logged.list.get(0).getFormattedMessage())
                    .startsWith("cannot write security events to " + file + " (")
                    .endsWith("); dropping them until it works again");

            Files.createDirectories(missing);
            log.record(event(5));

            await().atMost(PATIENCE).until(() -> levels().size() == 2);
            assertThat(levels()).containsExactly(Level.WARN, Level.INFO);
            assertThat(logged.list.get(1).getFormattedMessage())
                    .isEqualTo("security events are written to " + file + " again; 5 dropped so far");
            assertThat(Files.readAllLines(file)).containsExactly(EventJson.line(event(5)));
            assertThat(log.droppedEvents()).isEqualTo(5);
        }
    }

    @Test
    void unwritableFile_dropsAndCounts_trafficGoesOn() {
        // A regular file where the directory should be: refused even to root, unlike permission bits.
        Path notADirectory = dir.resolve("plain-file");
        assertThatCode(() -> Files.writeString(notADirectory, "x")).doesNotThrowAnyException();
        try (EventLog log = EventLog.open(new EventLogSettings(notADirectory.resolve("events.jsonl"), 1024, 5))) {
            assertThatCode(() -> IntStream.range(0, 100).forEach(i -> log.record(event(i)))).doesNotThrowAnyException();

            await().atMost(PATIENCE).until(() -> log.droppedEvents() == 100);
        }
        assertThat(levels()).containsExactly(Level.WARN);
    }

    @Test
    void fileIsADirectory_dropsAndCounts() throws IOException {
        Path file = Files.createDirectory(dir.resolve("events.jsonl"));
        try (EventLog log = EventLog.open(new EventLogSettings(file, 1024, 5))) {
            log.record(event(0));
            log.record(event(1));

            await().atMost(PATIENCE).until(() -> log.droppedEvents() == 2);
        }
    }

    @Test
    void fullQueue_recordNeitherBlocksNorThrows_dropsAndCounts_closeDrainsTheRest() throws IOException {
        Path file = dir.resolve("events.jsonl");
        CountDownLatch writerHeld = new CountDownLatch(1);
        EventLog log = new EventLog(new EventLogSettings(file, 1024 * 1024, 5), 4, heldBy(writerHeld)).start();

        assertThatCode(() -> IntStream.range(0, 10).forEach(i -> log.record(event(i)))).doesNotThrowAnyException();

        assertThat(log.droppedEvents()).isEqualTo(6);
        writerHeld.countDown();
        log.close();
        assertThat(Files.readAllLines(file)).extracting(EventLogTest::ray).containsExactly("r0", "r1", "r2", "r3");
        assertThat(log.droppedEvents()).isEqualTo(6);
    }

    @Test
    void close_writesEverythingQueued() throws IOException {
        Path file = dir.resolve("events.jsonl");
        EventLog log = EventLog.open(new EventLogSettings(file, 64 * 1024 * 1024, 5));
        IntStream.range(0, 5000).mapToObj(EventLogTest::event).forEach(log::record);

        log.close();

        assertThat(Files.readAllLines(file)).hasSize(5000);
        assertThat(log.droppedEvents()).isZero();
    }

    @Test
    void recordAfterClose_countedAsDropped() {
        EventLog log = EventLog.open(new EventLogSettings(dir.resolve("events.jsonl"), 1024, 5));
        log.close();

        log.record(event(0));

        assertThat(log.droppedEvents()).isEqualTo(1);
    }

    @Test
    void lineCutShortEarlier_isEndedBeforeTheNextOne() throws IOException {
        Path file = Files.writeString(dir.resolve("events.jsonl"), "{\"time\":\"2026-");

        try (EventLog log = EventLog.open(new EventLogSettings(file, 1024 * 1024, 5))) {
            log.record(event(0));
        }

        assertThat(Files.readAllLines(file)).containsExactly("{\"time\":\"2026-", EventJson.line(event(0)));
    }

    @Test
    void disabled_discardsWithoutAFile() {
        EventLog log = EventLog.disabled();

        IntStream.range(0, 10).forEach(i -> log.record(event(i)));
        log.close();

        assertThat(log.droppedEvents()).isZero();
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void bindTo_exposesTheDropCounter() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        EventLog log = new EventLog(new EventLogSettings(dir.resolve("events.jsonl"), 1024, 5), 1,
                heldBy(new CountDownLatch(1)));
        log.bindTo(registry);

        log.record(event(0));
        log.record(event(1));
        log.record(event(2));

        assertThat(registry.get("plexgate.events.dropped").functionCounter().count()).isEqualTo(2.0);
    }

    /** A writer thread that waits for {@code gate} before it starts taking events. */
    private static ThreadFactory heldBy(CountDownLatch gate) {
        return runnable -> {
            Thread thread = new Thread(() -> {
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                runnable.run();
            }, "held-events-writer");
            thread.setDaemon(true);
            return thread;
        };
    }

    private static SecurityEvent event(int n) {
        return new SecurityEvent(Instant.parse("2026-11-26T18:00:00Z").plusSeconds(n), "r" + n, "203.0.113.7", "NL",
                "GET", "plex.example.com", "/library/metadata/" + n + "?X-Plex-Token=secret" + n,
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)", "Restrict IPs",
                Action.BLOCK, 403);
    }

    private static String ray(String line) {
        int start = line.indexOf("\"ray\":\"") + 7;
        return line.substring(start, line.indexOf('"', start));
    }

    private List<String> files() throws IOException {
        try (Stream<Path> listing = Files.list(dir)) {
            return listing.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private List<Level> levels() {
        return logged.list.stream().map(ILoggingEvent::getLevel).toList();
    }
}
