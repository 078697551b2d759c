package dev.plexgate.control.service;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls back when plexgate.yml or a list file changes. It watches the files' directories, not
 * the files: editors save by writing a new file and renaming it over the old one, which a watch
 * on the file itself would lose. A burst of events (write, rename, chmod) becomes one call after
 * {@code debounce} of quiet, and calls never overlap: they run on one thread.
 */
final class ConfigWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConfigWatcher.class);

    private final WatchService watcher;
    private final Runnable onChange;
    private final long debounceNanos;
    private final ScheduledExecutorService calls = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "plexgate-reload");
        thread.setDaemon(true);
        return thread;
    });
    private final Thread loop;
    private final Map<Path, WatchKey> directories = new HashMap<>();
    private volatile Set<Path> files = Set.of();
    private ScheduledFuture<?> pending;

    ConfigWatcher(Runnable onChange, Duration debounce) throws IOException {
        this.watcher = FileSystems.getDefault().newWatchService();
        this.onChange = onChange;
        this.debounceNanos = debounce.toNanos();
        this.loop = new Thread(this::run, "plexgate-config-watch");
        loop.setDaemon(true);
        loop.start();
    }

    /** Watches exactly {@code watched} from now on (a reload may add or drop list files). */
    synchronized void watch(Collection<Path> watched) {
        Set<Path> absolute = new HashSet<>();
        for (Path file : watched) {
            absolute.add(file.toAbsolutePath().normalize());
        }
        Set<Path> needed = new HashSet<>();
        for (Path file : absolute) {
            needed.add(file.getParent());
        }
        directories.entrySet().removeIf(entry -> {
            if (!needed.contains(entry.getKey())) {
                entry.getValue().cancel();
                return true;
            }
            return false;
        });
        for (Path directory : needed) {
            if (!directories.containsKey(directory)) {
                try {
                    directories.put(directory, directory.register(watcher, StandardWatchEventKinds.ENTRY_CREATE,
                            StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE));
                } catch (IOException e) {
                    log.warn("cannot watch {} for changes ({}); reload with SIGHUP instead", directory, e.getMessage());
                }
            }
        }
        files = Set.copyOf(absolute);
    }

    private void run() {
        try {
            while (true) {
                WatchKey key = watcher.take();
                Path directory = (Path) key.watchable();
                boolean relevant = false;
                for (WatchEvent<?> event : key.pollEvents()) {
                    Object context = event.context();
                    relevant |= event.kind() == StandardWatchEventKinds.OVERFLOW
                            || (context instanceof Path name && files.contains(directory.resolve(name)));
                }
                key.reset();
                if (relevant) {
                    schedule();
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException stopped) {
            // closed: the service is stopping
        }
    }

    private synchronized void schedule() {
        if (pending != null) {
            pending.cancel(false);
        }
        pending = calls.schedule(onChange, debounceNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        try {
            watcher.close();
        } catch (IOException e) {
            log.debug("closing the watch service: {}", e.toString());
        }
        loop.interrupt();
        calls.shutdownNow();
    }
}
