package dev.plexgate.proxy.events;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends {@link SecurityEvent}s to the events file as JSON lines, rotating it by size.
 *
 * <p>{@link #record} runs on the event loops, so it only offers the event to a bounded queue: it
 * never blocks, never throws and never touches the disk. One daemon thread formats and writes,
 * buffered, flushing whenever the queue runs empty. Whatever goes wrong with the disk — a missing
 * directory, an unwritable or full file — costs events, never traffic: they are dropped and
 * counted in {@code plexgate_events_dropped_total}, like those that find the queue full, and the
 * failure is logged once per streak rather than once per event.
 */
public final class EventLog implements MeterBinder, AutoCloseable {

    /** Events waiting for the writer; beyond this, bursts are dropped rather than held in memory. */
    static final int DEFAULT_CAPACITY = 8192;
    private static final Duration CLOSE_DEADLINE = Duration.ofSeconds(5);
    private static final int BUFFER_SIZE = 64 * 1024;
    private static final Logger log = LoggerFactory.getLogger(EventLog.class);

    private final EventLogSettings settings;
    private final BlockingQueue<SecurityEvent> queue;
    private final LongAdder dropped = new LongAdder();
    private final Thread writer;
    private volatile boolean closed;

    /** Starts the writer thread; the file is opened, or created, at the first event. */
    public static EventLog open(EventLogSettings settings) {
        return new EventLog(settings, DEFAULT_CAPACITY, runnable -> {
            Thread thread = new Thread(runnable, "plexgate-events");
            thread.setDaemon(true);
            return thread;
        }).start();
    }

    /** Discards every event: no thread, no file. */
    public static EventLog disabled() {
        return new EventLog(null, 0, null);
    }

    /** Not started: {@link #open} starts it, tests may hold it back to fill the queue. */
    EventLog(EventLogSettings settings, int capacity, ThreadFactory threads) {
        this.settings = settings;
        this.queue = settings == null ? null : new ArrayBlockingQueue<>(capacity);
        this.writer = settings == null ? null : threads.newThread(new Writer());
    }

    EventLog start() {
        writer.start();
        return this;
    }

    /** Hands the event to the writer, or counts it as dropped when the queue is full or closed. */
    public void record(SecurityEvent event) {
        // A null would be a bug in the caller, and the caller is serving a request: not worth failing it.
        if (queue == null || event == null) {
            return;
        }
        if (closed || !queue.offer(event)) {
            dropped.increment();
        }
    }

    /** Events lost so far, to a full queue or to the disk. */
    public long droppedEvents() {
        return dropped.sum();
    }

    /** {@code plexgate_events_dropped_total}. */
    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("plexgate.events.dropped", this, EventLog::droppedEvents)
                .description("Security events lost because the queue was full or the events file not writable")
                .register(registry);
    }

    /** Writes what is queued, for at most a few seconds, and stops the writer. */
    @Override
    public void close() {
        if (writer == null) {
            return;
        }
        closed = true;
        writer.interrupt();
        try {
            writer.join(CLOSE_DEADLINE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (!writer.isAlive()) {
            // Offered after the writer's last look at the queue.
            dropped.add(queue.size());
            queue.clear();
        }
    }

    /** The writer thread's loop and its state, confined to that thread. */
    private final class Writer implements Runnable {

        private OutputStream out;
        private long size;
        private int unflushed;
        private boolean failing;

        @Override
        public void run() {
            try {
                while (true) {
                    write(queue.take());
                    drain();
                }
            } catch (InterruptedException stop) {
                drain();
            } finally {
                closeQuietly();
            }
        }

        private void drain() {
            for (SecurityEvent event = queue.poll(); event != null; event = queue.poll()) {
                write(event);
            }
            flush();
        }

        private void write(SecurityEvent event) {
            byte[] line = (EventJson.line(event) + "\n").getBytes(StandardCharsets.UTF_8);
            try {
                if (out == null) {
                    openFile();
                }
                if (size > 0 && size + line.length > settings.maxSize()) {
                    rotate();
                }
                out.write(line);
                size += line.length;
                unflushed++;
            } catch (IOException | RuntimeException e) {
                fail(e, 1);
            }
        }

        private void flush() {
            if (out == null || unflushed == 0) {
                return;
            }
            try {
                out.flush();
                unflushed = 0;
                if (failing) {
                    failing = false;
                    log.info("security events are written to {} again; {} dropped so far", settings.file(),
                            droppedEvents());
                }
            } catch (IOException | RuntimeException e) {
                fail(e, 0);
            }
        }

        /** The buffered lines and {@code lost} more are gone; the file is reopened at the next event. */
        private void fail(Exception e, int lost) {
            dropped.add(unflushed + lost);
            unflushed = 0;
            closeQuietly();
            if (!failing) {
                failing = true;
                log.warn("cannot write security events to {} ({}); dropping them until it works again",
                        settings.file(), e.toString());
            }
        }

        private void openFile() throws IOException {
            Path file = settings.file();
            // FileOutputStream, not Files.newOutputStream: an interrupt (close) must not close the file.
            FileOutputStream stream = new FileOutputStream(file.toFile(), true);
            try {
                size = Files.size(file);
                if (size > 0 && !endsWithNewline(file, size)) {
                    // A line cut short by an earlier failure: end it, so the next one stays readable.
                    stream.write('\n');
                    size++;
                }
            } catch (IOException e) {
                stream.close();
                throw e;
            }
            out = new BufferedOutputStream(stream, BUFFER_SIZE);
        }

        private void rotate() throws IOException {
            OutputStream full = out;
            out = null;
            full.close();
            unflushed = 0;
            Path file = settings.file();
            if (settings.maxFiles() == 0) {
                Files.deleteIfExists(file);
            } else {
                for (int n = settings.maxFiles() - 1; n >= 1; n--) {
                    if (Files.exists(settings.rotated(n))) {
                        Files.move(settings.rotated(n), settings.rotated(n + 1), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                Files.move(file, settings.rotated(1), StandardCopyOption.REPLACE_EXISTING);
            }
            openFile();
        }

        private void closeQuietly() {
            if (out != null) {
                try {
                    out.close();
                } catch (IOException e) {
                    // Already counted, or about to be: the failure that led here is the one reported.
                }
                out = null;
            }
        }

        private static boolean endsWithNewline(Path file, long size) throws IOException {
            try (RandomAccessFile random = new RandomAccessFile(file.toFile(), "r")) {
                random.seek(size - 1);
                return random.read() == '\n';
            }
        }
    }
}
