package dev.plexgate.control.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plexgate.proxy.events.EventLog;
import dev.plexgate.proxy.events.EventLogSettings;
import dev.plexgate.proxy.events.SecurityEvent;
import dev.plexgate.proxy.events.SecurityEvent.Action;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code plexgate events} against files the proxy's own event log wrote. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
final class EventsCommandTest {

    private static final String NL = System.lineSeparator();
    private static final String HEADER =
            "TIME (UTC)          ACTION STATUS CLIENT          CC RULE                 REQUEST";

    @TempDir
    Path dir;

    private Path config;
    private Path events;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void configure() throws IOException {
        config = Files.writeString(dir.resolve("plexgate.yml"), "events:\n  file: events.jsonl\n");
        events = dir.resolve("events.jsonl");
    }

    private int plexgate(String... args) {
        CommandLine commandLine = PlexgateCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void table_oneAlignedRowPerEvent_inUtc() throws IOException {
        write(List.of(
                event(Instant.parse("2026-11-26T18:00:00.123Z"), "203.0.113.7", "NL", "Restrict IPs", Action.BLOCK, 403,
                        "/library/sections"),
                event(Instant.parse("2026-11-26T18:00:05Z"), "2001:db8::7", "", "Allow IPs to skip WAF", Action.SKIP, 0,
                        "/")));

        assertThat(plexgate("events", "-c", config.toString())).isZero();

        assertThat(out).hasToString(HEADER + NL
                + "2026-11-26 18:00:00 block  403    203.0.113.7     NL Restrict IPs         "
                + "GET plex.example.com/library/sections" + NL
                + "2026-11-26 18:00:05 skip   -      2001:db8::7     -  Allow IPs to skip... "
                + "GET plex.example.com/" + NL);
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void table_longRequest_cutToAbout120Columns() throws IOException {
        write(List.of(event(Instant.parse("2026-11-26T18:00:00Z"), "203.0.113.7", "NL", "Restrict IPs", Action.BLOCK,
                403, "/video/:/transcode/universal/start.m3u8?" + "a=1&".repeat(60))));

        assertThat(plexgate("events", "-c", config.toString())).isZero();

        String row = out.toString().split(NL)[1];
        assertThat(row).hasSize(120).endsWith("...");
    }

    @Test
    void json_printsTheLinesAsWritten() throws IOException {
        write(List.of(event(Instant.parse("2026-11-26T18:00:00Z"), "203.0.113.7", "NL", "Block bots", Action.BLOCK, 403,
                "/")));

        assertThat(plexgate("events", "-c", config.toString(), "--json")).isZero();

        assertThat(out).hasToString(Files.readString(events).replace("\n", NL));
        assertThat(out.toString()).startsWith("{\"time\":\"2026-11-26T18:00:00.000Z\",");
    }

    @Test
    void action_onlyThatAction() throws IOException {
        Instant t = Instant.parse("2026-11-26T18:00:00Z");
        write(List.of(event(t, "192.0.2.1", "", "a", Action.BLOCK, 403, "/1"),
                event(t, "192.0.2.2", "", "b", Action.SKIP, 0, "/2"),
                event(t, "192.0.2.3", "", "c", Action.LOG, 0, "/3"),
                event(t, "192.0.2.4", "", "a", Action.BLOCK, 403, "/4")));

        assertThat(plexgate("events", "-c", config.toString(), "--action", "block", "--json")).isZero();

        assertThat(out.toString().split(NL)).hasSize(2).allMatch(line -> line.contains("\"action\":\"block\""));
    }

    @Test
    void since_readsTheRotatedFilesThatMayHoldRecentEvents_oldestFirst() throws IOException {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Path second = dir.resolve("events.jsonl.2");
        Path first = dir.resolve("events.jsonl.1");
        write(second, List.of(event(now.minus(Duration.ofHours(5)), "192.0.2.1", "", "r", Action.BLOCK, 403, "/old")));
        Files.setLastModifiedTime(second, FileTime.from(now.minus(Duration.ofHours(5))));
        write(first, List.of(
                event(now.minus(Duration.ofHours(3)), "192.0.2.2", "", "r", Action.BLOCK, 403, "/older-in-first"),
                event(now.minus(Duration.ofMinutes(90)), "192.0.2.3", "", "r", Action.BLOCK, 403, "/recent-in-first")));
        Files.setLastModifiedTime(first, FileTime.from(now.minus(Duration.ofMinutes(90))));
        write(List.of(event(now.minus(Duration.ofMinutes(1)), "192.0.2.4", "", "r", Action.LOG, 0, "/live")));

        assertThat(plexgate("events", "-c", config.toString(), "--since", "2h", "--json")).isZero();

        assertThat(out.toString().split(NL)).hasSize(2);
        assertThat(out.toString()).containsSubsequence("/recent-in-first", "/live").doesNotContain("older");
    }

    @Test
    void withoutSince_onlyTheLiveFile() throws IOException {
        Instant now = Instant.now();
        write(dir.resolve("events.jsonl.1"), List.of(event(now, "192.0.2.1", "", "r", Action.BLOCK, 403, "/rotated")));
        write(List.of(event(now, "192.0.2.2", "", "r", Action.BLOCK, 403, "/live")));

        assertThat(plexgate("events", "-c", config.toString(), "--json")).isZero();

        assertThat(out.toString()).contains("/live").doesNotContain("/rotated");
    }

    @Test
    void follow_printsAppendedLines_acrossARotation_untilInterrupted() throws Exception {
        Instant t = Instant.parse("2026-11-26T18:00:00Z");
        write(List.of(event(t, "192.0.2.1", "", "r", Action.BLOCK, 403, "/backlog")));
        AtomicInteger exitCode = new AtomicInteger(-1);
        Thread command = new Thread(() -> exitCode.set(plexgate("events", "-c", config.toString(), "--follow")));
        command.start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> out.toString().contains("/backlog"));

            append(events, event(t, "192.0.2.2", "", "r", Action.BLOCK, 403, "/appended"));
            await().atMost(Duration.ofSeconds(10)).until(() -> out.toString().contains("/appended"));

            append(events, event(t, "192.0.2.3", "", "r", Action.BLOCK, 403, "/last-before-rotation"));
            Files.move(events, dir.resolve("events.jsonl.1"), StandardCopyOption.REPLACE_EXISTING);
            append(events, event(t, "192.0.2.4", "", "r", Action.BLOCK, 403, "/after-rotation"));
            await().atMost(Duration.ofSeconds(10)).until(() -> out.toString().contains("/after-rotation"));
        } finally {
            command.interrupt();
            command.join(Duration.ofSeconds(10).toMillis());
        }

        assertThat(command.isAlive()).isFalse();
        assertThat(exitCode).hasValue(0);
        assertThat(out.toString().split(NL)).hasSize(5).startsWith(HEADER);
        assertThat(out.toString()).containsSubsequence("/backlog", "/appended", "/last-before-rotation",
                "/after-rotation");
    }

    @Test
    void missingFile_saysSo_exitsOne() {
        assertThat(plexgate("events", "-c", config.toString())).isEqualTo(1);

        assertThat(out.toString()).isEmpty();
        assertThat(err).hasToString("no events yet: " + events + " does not exist; plexgate writes it when a rule"
                + " blocks, skips or logs a request" + NL);
    }

    @Test
    void malformedLines_skipped_withOneWarning() throws IOException {
        write(List.of(event(Instant.parse("2026-11-26T18:00:00Z"), "192.0.2.1", "", "r", Action.BLOCK, 403, "/ok")));
        Files.writeString(events, "not json\n{\"time\":\"yesterday\",\"action\":\"block\"}\n{\"time\":\"2026-",
                StandardOpenOption.APPEND);

        assertThat(plexgate("events", "-c", config.toString(), "--json")).isZero();

        assertThat(out.toString().split(NL)).hasSize(1);
        assertThat(err).hasToString("plexgate: skipped 3 malformed lines in " + events + " and its rotated files" + NL);
    }

    @Test
    void badSince_usageError() {
        assertThat(plexgate("events", "-c", config.toString(), "--since", "10 minutes")).isEqualTo(2);

        assertThat(err.toString()).startsWith("Invalid value for option '--since': '10 minutes' is not a duration"
                + " (expected: a number and s, m, h or d, such as 30s, 10m, 2h or 1d)");
    }

    @Test
    void badAction_usageError() {
        assertThat(plexgate("events", "-c", config.toString(), "--action", "allow")).isEqualTo(2);

        assertThat(err.toString()).startsWith("Invalid value for option '--action': 'allow' is not an action"
                + " (expected: block, skip or log)");
    }

    @Test
    void help_listsEvents() {
        assertThat(plexgate("--help")).isZero();

        assertThat(out.toString()).containsPattern("events +Show the requests that rules blocked, skipped or logged\\.");
    }

    private void write(List<SecurityEvent> list) throws IOException {
        write(events, list);
    }

    /** Through the proxy's own writer, so the reader is tested against what is really written. */
    private static void write(Path file, List<SecurityEvent> list) throws IOException {
        try (EventLog log = EventLog.open(new EventLogSettings(file, 1024 * 1024, 5))) {
            list.forEach(log::record);
        }
    }

    private static void append(Path file, SecurityEvent event) throws IOException {
        write(file, List.of(event));
    }

    private static SecurityEvent event(Instant time, String client, String country, String rule, Action action,
            int status, String path) {
        return new SecurityEvent(time, "8c1f2a3b4c5d6e7f-AMS", client, country, "GET", "plex.example.com", path,
                "Mozilla/5.0", rule, action, status);
    }
}
