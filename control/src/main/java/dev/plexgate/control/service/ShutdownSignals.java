package dev.plexgate.control.service;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT into an orderly stop on the thread that waits for them, and SIGHUP
 * (systemd's {@code ExecReload}) into a config reload.
 *
 * <p>Why not just a shutdown hook: the JVM runs hooks for SIGTERM but then exits with 143
 * (128 + 15) whatever they do, and systemd counts that as a failure unless told otherwise. A
 * handler installed with {@code sun.misc.Signal} replaces the JVM's own, so the main thread
 * stops the service and the process exits 0 through {@code System.exit}. {@code sun.misc.Signal}
 * lives in the {@code jdk.unsupported} module, present in every full JDK and JRE; on a trimmed
 * runtime without it a shutdown hook stands in, which still stops in order but exits 143.
 */
final class ShutdownSignals {

    private static final Logger log = LoggerFactory.getLogger(ShutdownSignals.class);

    private final CountDownLatch requested = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile String reason = "";

    private ShutdownSignals() {
    }

    /** Starts listening for SIGTERM and SIGINT, and for SIGHUP, which runs {@code onHangup}. */
    static ShutdownSignals install(Runnable onHangup) {
        ShutdownSignals signals = new ShutdownSignals();
        try {
            for (String name : new String[] {"TERM", "INT"}) {
                Signal.handle(new Signal(name), signal -> signals.request("SIG" + signal.getName()));
            }
            Signal.handle(new Signal("HUP"), signal -> onHangup.run());
        } catch (LinkageError | IllegalArgumentException e) {
            log.debug("no signal handlers ({}), stopping from a shutdown hook instead", e.toString());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                signals.request("JVM shutdown");
                // The JVM halts when the hooks return: hold it until the service has stopped.
                awaitUninterruptibly(signals.stopped);
            }, "plexgate-shutdown"));
        }
        return signals;
    }

    /** Blocks until a stop is requested; returns what requested it, such as {@code SIGTERM}. */
    String awaitStopRequest() throws InterruptedException {
        requested.await();
        return reason;
    }

    /** The service has stopped: a shutdown hook waiting for it may let the JVM exit. */
    void stopped() {
        stopped.countDown();
    }

    private void request(String why) {
        if (requested.getCount() > 0) {
            reason = why;
            requested.countDown();
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
