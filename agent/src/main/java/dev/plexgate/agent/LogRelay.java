package dev.plexgate.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Relays one child's output into plexgate's log, a line at a time, at the level cloudflared gave
 * it, secrets redacted. Each stream is drained by a thread of its own as fast as the child writes,
 * so a full pipe never stalls cloudflared; an overlong line is cut rather than buffered whole.
 *
 * <p>cloudflared writes everything to stderr, either as console lines
 * ({@code 2026-11-26T18:00:00Z INF Registered tunnel connection connIndex=0 ...}) or, with
 * {@code --output json}, as JSON lines with {@code level}, {@code time} and {@code message}. Lines
 * in neither form (usage errors, a Go panic) are relayed as warnings. The last lines are kept for the
 * message that reports an exit.
 */
final class LogRelay {

    /** The logger of every relayed line: the log reads {@code cloudflared: Registered tunnel ...}. */
    static final Logger CLOUDFLARED = LoggerFactory.getLogger("cloudflared");

    static final int MAX_LINE = 8192;
    private static final int KEPT_LINES = 10;
    private static final Pattern CONSOLE = Pattern.compile("\\S+\\s+(DBG|INF|WRN|ERR|FTL|PNC)\\s(.*)");

    private final LogRedaction redaction;
    private final Deque<String> last = new ArrayDeque<>();
    private final List<Thread> pumps = new ArrayList<>();

    LogRelay(LogRedaction redaction) {
        this.redaction = redaction;
    }

    /** Starts draining {@code stream} on a daemon thread named {@code name}. */
    void pump(InputStream stream, String name) {
        Thread thread = new Thread(() -> drain(stream), name);
        thread.setDaemon(true);
        pumps.add(thread);
        thread.start();
    }

    /** Waits up to {@code timeout} for the streams to end, so that the last lines are in. */
    void awaitEnd(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread pump : pumps) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                pump.join(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** The last lines relayed, redacted, oldest first. */
    synchronized List<String> lastLines() {
        return List.copyOf(last);
    }

    /** Logs one line of cloudflared's output. */
    void relay(String raw) {
        String line = redaction.redact(raw);
        synchronized (this) {
            if (last.size() == KEPT_LINES) {
                last.removeFirst();
            }
            last.addLast(line);
        }
        Level level = Level.WARN;
        String message = line;
        Matcher console = CONSOLE.matcher(line);
        if (console.matches()) {
            level = consoleLevel(console.group(1));
            message = console.group(2);
        } else if (raw.startsWith("{")) {
            try {
                // Parsed before redaction, which could cut an escape apart; the message is redacted
                // after unescaping, when an escaped secret has become plain text.
                Map<String, String> fields = FlatJson.parse(raw);
                level = jsonLevel(fields.getOrDefault("level", ""));
                message = redaction.redact(jsonMessage(fields));
            } catch (IllegalArgumentException e) {
                // Not JSON after all: relayed as it is, as a warning.
            }
        }
        CLOUDFLARED.atLevel(level).log("{}", message);
    }

    private void drain(InputStream stream) {
        try (Reader reader = new InputStreamReader(stream, StandardCharsets.UTF_8)) {
            StringBuilder line = new StringBuilder();
            boolean cut = false;
            char[] buffer = new char[4096];
            int read;
            while ((read = reader.read(buffer)) >= 0) {
                for (int i = 0; i < read; i++) {
                    char c = buffer[i];
                    if (c == '\n') {
                        relay(finish(line, cut));
                        line.setLength(0);
                        cut = false;
                    } else if (c != '\r' && line.length() < MAX_LINE) {
                        line.append(c);
                    } else if (c != '\r') {
                        cut = true;
                    }
                }
            }
            if (line.length() > 0) {
                relay(finish(line, cut));
            }
        } catch (IOException e) {
            // The child is gone and its pipe closed under us: nothing more to relay.
        }
    }

    private static String finish(StringBuilder line, boolean cut) {
        return cut ? line + " [line cut at " + MAX_LINE + " characters]" : line.toString();
    }

    private static Level consoleLevel(String level) {
        return switch (level) {
            case "DBG" -> Level.DEBUG;
            case "INF" -> Level.INFO;
            case "WRN" -> Level.WARN;
            default -> Level.ERROR;
        };
    }

    private static Level jsonLevel(String level) {
        return switch (level.toLowerCase(Locale.ROOT)) {
            case "trace", "debug" -> Level.DEBUG;
            case "info" -> Level.INFO;
            case "error", "fatal", "panic" -> Level.ERROR;
            default -> Level.WARN;
        };
    }

    /** The message, then the other fields as {@code key=value}, like the console format. */
    private static String jsonMessage(Map<String, String> fields) {
        StringBuilder message = new StringBuilder(fields.getOrDefault("message", ""));
        fields.forEach((key, value) -> {
            if (!key.equals("level") && !key.equals("time") && !key.equals("message")) {
                message.append(' ').append(key).append('=').append(value);
            }
        });
        return message.toString();
    }
}
