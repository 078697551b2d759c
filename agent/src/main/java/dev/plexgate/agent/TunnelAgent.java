package dev.plexgate.agent;

import dev.plexgate.agent.ReadinessProbe.Readiness;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs cloudflared as a supervised child: starts it with the token in its environment only, polls
 * its {@code /ready}, relays its log, restarts it with backoff when it exits, and stops it with
 * SIGTERM, then a kill after the grace period and a margin. {@link AgentState} draws the states.
 *
 * <p>Every change of state happens on one thread ({@code plexgate-tunnel}): exits, readiness polls,
 * restarts, reloads and the stop are tasks on it, so the supervisor's fields need no locks and a
 * stale event (the exit of a child already replaced) is recognised by its generation number. The
 * status is published as an immutable record for any thread to read.
 *
 * <p>No orphan: {@link #stop()} waits for the child to be gone, and a shutdown hook kills it if the
 * JVM exits without a stop. A JVM killed with SIGKILL runs no hook; under systemd the unit's
 * control group (the default {@code KillMode=control-group}) takes cloudflared down with it.
 */
public final class TunnelAgent implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TunnelAgent.class);

    /**
     * The supervisor's timing; tests shorten it.
     *
     * @param pollInterval  between two {@code /ready} requests
     * @param readyGrace    not ready for this long (after start, or after being ready) is DEGRADED
     * @param backoffBase   the first restart delay's ceiling, doubled per exit in a row
     * @param backoffMax    the ceiling's ceiling
     * @param stablePeriod  a child up this long resets the backoff
     * @param stopMargin    added to the grace period before a child that got SIGTERM is killed
     * @param probeTimeout  for one {@code /ready} request
     */
    record Timing(Duration pollInterval, Duration readyGrace, Duration backoffBase, Duration backoffMax,
            Duration stablePeriod, Duration stopMargin, Duration probeTimeout) {

        static final Timing DEFAULTS = new Timing(Duration.ofSeconds(1), Duration.ofSeconds(20),
                Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofMinutes(2), Duration.ofSeconds(5),
                Duration.ofSeconds(2));
    }

    /** The exit code cloudflared gives a refused token or bad usage: restarting will not help. */
    static final int CONFIGURATION_ERROR = 255;

    private final Timing timing;
    private final Clock clock;
    private final RandomGenerator random;
    private final ScheduledExecutorService executor;
    private final HttpClient probeClient;
    private final Thread shutdownHook = new Thread(this::killOnJvmExit, "plexgate-tunnel-exit");

    // Confined to the executor's thread.
    private TunnelSettings settings;
    private RestartBackoff backoff;
    private int generation;
    private Instant childStarted;
    private Instant notReadySince;
    private boolean everReady;
    private LogRelay relay;
    private ScheduledFuture<?> polling;
    private ScheduledFuture<?> pendingStart;
    private int restarts;
    private Integer lastExitCode;
    private int readyConnections;
    private UUID connectorId;
    private String problem;
    private boolean started;
    private boolean stopped;

    // Read by other threads: the shutdown hook, tests.
    private volatile Process child;
    private volatile AgentStatus status;

    TunnelAgent(TunnelSettings settings, Timing timing, Clock clock, RandomGenerator random) {
        this.settings = settings;
        this.timing = timing;
        this.clock = clock;
        this.random = random;
        this.backoff = newBackoff();
        this.probeClient = ReadinessProbe.client(timing.probeTimeout());
        this.executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "plexgate-tunnel");
            thread.setDaemon(true);
            return thread;
        });
        this.status = new AgentStatus(settings.enabled() ? AgentState.STOPPED : AgentState.DISABLED,
                clock.instant(), 0, null, 0, null, tunnelId(settings), null);
    }

    /** An agent for {@code settings}; nothing runs before {@link #start()}. */
    public static TunnelAgent create(TunnelSettings settings) {
        return new TunnelAgent(settings, Timing.DEFAULTS, Clock.systemUTC(), RandomGenerator.getDefault());
    }

    /** Starts cloudflared when the settings enable it, and returns at once. */
    public void start() {
        submit(() -> {
            if (started || stopped) {
                return;
            }
            started = true;
            Runtime.getRuntime().addShutdownHook(shutdownHook);
            begin();
        });
    }

    /**
     * Hands over new settings and returns at once: when they differ, the running child is stopped
     * (SIGTERM, as for {@link #stop()}) and one for the new settings started; when they are equal,
     * nothing happens.
     */
    public void reload(TunnelSettings next) {
        submit(() -> {
            if (next.equals(settings) || stopped) {
                return;
            }
            if (next.enabled() || settings.enabled()) {
                log.info("tunnel section changed: {} cloudflared",
                        !next.enabled() ? "stopping" : isRunning() ? "restarting" : "starting");
            }
            endChild();
            settings = next;
            backoff = newBackoff();
            problem = null;
            if (started) {
                begin();
            }
        });
    }

    /**
     * Stops cloudflared and returns once it is gone: SIGTERM, then a kill if it is still there after
     * the grace period and a margin. Nothing starts it again.
     */
    public void stop() {
        try {
            Future<?> stopping = executor.submit(() -> {
                stopped = true;
                endChild();
                problem = null;
                publish(AgentState.STOPPED);
            });
            stopping.get();
        } catch (RejectedExecutionException e) {
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            killOnJvmExit();
        } catch (ExecutionException e) {
            log.error("stopping cloudflared failed", e.getCause());
            killOnJvmExit();
        } finally {
            executor.shutdownNow();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is exiting: the hook runs, and finds nothing left to kill.
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** The state now; any thread. */
    public AgentStatus status() {
        return status;
    }

    /** The running child's process id, or -1. */
    long childPid() {
        Process running = child;
        return running == null ? -1 : running.pid();
    }

    private void begin() {
        if (!settings.enabled()) {
            publish(AgentState.DISABLED);
            return;
        }
        launch();
    }

    private void launch() {
        pendingStart = null;
        List<String> command = settings.command();
        ProcessBuilder builder = new ProcessBuilder(command);
        // The one place the token goes: the child's environment, which only its user can read.
        builder.environment().put("TUNNEL_TOKEN", settings.token().secret());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            // The message names the binary and the system's reason; the environment is not in it.
            problem = "cannot start " + settings.cloudflared() + ": " + e.getMessage();
            log.error("{}", problem);
            scheduleRestart(Duration.ZERO);
            return;
        }
        closeQuietly(process);
        int current = ++generation;
        child = process;
        childStarted = clock.instant();
        notReadySince = childStarted;
        everReady = false;
        readyConnections = 0;
        connectorId = null;
        relay = new LogRelay(new LogRedaction(settings.token().secret()));
        relay.pump(process.getErrorStream(), "cloudflared-stderr");
        relay.pump(process.getInputStream(), "cloudflared-stdout");
        process.onExit().thenRun(() -> submit(() -> exited(current, process)));
        ReadinessProbe probe = new ReadinessProbe(probeClient, settings.metricsAddress(), timing.probeTimeout());
        polling = executor.scheduleWithFixedDelay(() -> poll(current, probe), timing.pollInterval().toNanos(),
                timing.pollInterval().toNanos(), TimeUnit.NANOSECONDS);
        log.info("started cloudflared (pid {}) for tunnel {}: {}", process.pid(), settings.token().tunnelId(),
                String.join(" ", command));
        publish(AgentState.STARTING);
    }

    private void poll(int current, ReadinessProbe probe) {
        if (current != generation || !isRunning()) {
            return;
        }
        Readiness readiness = probe.check();
        Instant now = clock.instant();
        readyConnections = readiness.readyConnections();
        if (readiness.connectorId() != null) {
            connectorId = readiness.connectorId();
        }
        AgentState state = status.state();
        if (readiness.ready()) {
            everReady = true;
            notReadySince = null;
            problem = null;
            if (state != AgentState.CONNECTED) {
                log.info("tunnel {} connected: {} edge connections, connector {}", settings.token().tunnelId(),
                        readyConnections, connectorId);
            }
            publish(AgentState.CONNECTED);
            return;
        }
        if (notReadySince == null) {
            notReadySince = now;
        }
        Duration notReady = Duration.between(notReadySince, now);
        if (state != AgentState.DEGRADED && notReady.compareTo(timing.readyGrace()) >= 0) {
            problem = "cloudflared not ready for " + TunnelSettings.goDuration(notReady.withNanos(0)) + " ("
                    + (readiness.reachable() ? "/ready answers " + readiness.status() : "/ready does not answer")
                    + "); see its log lines";
            log.warn("tunnel degraded: {}", problem);
            publish(AgentState.DEGRADED);
            return;
        }
        publish(state);
    }

    private void exited(int current, Process process) throws InterruptedException {
        if (current != generation || stopped) {
            return;
        }
        cancel(polling);
        child = null;
        int code = process.exitValue();
        lastExitCode = code;
        readyConnections = 0;
        Duration uptime = Duration.between(childStarted, clock.instant());
        relay.awaitEnd(Duration.ofSeconds(1));
        String lastLines = String.join("\n", relay.lastLines());
        if (code == CONFIGURATION_ERROR) {
            problem = "cloudflared refused its token or arguments (exit 255); not restarted until the tunnel"
                    + " section or the token changes";
            log.error("{}. Its last lines:\n{}", problem, lastLines);
            publish(AgentState.STOPPED);
            return;
        }
        // cloudflared exits 0 on some bad arguments: an exit before it was ever ready is a failure.
        problem = "cloudflared exited with code " + code + (everReady ? "" : " before it was ever ready")
                + " after " + TunnelSettings.goDuration(uptime.withNanos(uptime.toMillisPart() * 1_000_000));
        Duration delay = scheduleRestart(uptime);
        log.warn("{}; restart {} in {}. Its last lines:\n{}", problem, restarts + 1,
                TunnelSettings.goDuration(delay.withNanos(delay.toMillisPart() * 1_000_000)), lastLines);
    }

    /** Returns the delay before the start. */
    private Duration scheduleRestart(Duration uptime) {
        Duration delay = backoff.afterExit(uptime);
        pendingStart = executor.schedule(() -> {
            restarts++;
            launch();
        }, delay.toNanos(), TimeUnit.NANOSECONDS);
        publish(AgentState.BACKOFF);
        return delay;
    }

    /** Stops the child if one runs and forgets any pending start; its exit will be ignored. */
    private void endChild() {
        cancel(pendingStart);
        cancel(polling);
        pendingStart = null;
        generation++;
        Process running = child;
        if (running != null && running.isAlive()) {
            publish(AgentState.STOPPING);
            terminate(running, settings.gracePeriod().plus(timing.stopMargin()));
        }
        child = null;
        readyConnections = 0;
    }

    /**
     * SIGTERM, then SIGKILL past {@code patience}; descendants, if any, do not outlive it either.
     * Signals go through the process handle: {@code Process.destroy()} would also close the pipes
     * and lose cloudflared's last lines (its shutdown messages).
     */
    private static void terminate(Process process, Duration patience) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.toHandle().destroy();
        try {
            if (!process.waitFor(patience.toNanos(), TimeUnit.NANOSECONDS)) {
                log.warn("cloudflared (pid {}) still running {} after SIGTERM: killing it", process.pid(),
                        TunnelSettings.goDuration(patience));
                process.toHandle().destroyForcibly();
                process.waitFor(patience.toNanos(), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            process.toHandle().destroyForcibly();
            Thread.currentThread().interrupt();
        }
        descendants.forEach(ProcessHandle::destroyForcibly);
        log.info("cloudflared (pid {}) stopped", process.pid());
    }

    /** The JVM exits without a stop, or a stop was cut short: the child must not survive it. */
    private void killOnJvmExit() {
        Process running = child;
        if (running != null && running.isAlive()) {
            running.toHandle().destroy();
            try {
                if (!running.waitFor(timing.stopMargin().toNanos(), TimeUnit.NANOSECONDS)) {
                    running.toHandle().destroyForcibly();
                }
            } catch (InterruptedException e) {
                running.toHandle().destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private boolean isRunning() {
        Process running = child;
        return running != null && running.isAlive();
    }

    private void publish(AgentState state) {
        AgentStatus previous = status;
        Instant since = previous.state() == state ? previous.since() : clock.instant();
        status = new AgentStatus(state, since, restarts, lastExitCode, readyConnections,
                connectorId, tunnelId(settings), problem);
    }

    private RestartBackoff newBackoff() {
        return new RestartBackoff(timing.backoffBase(), timing.backoffMax(), timing.stablePeriod(), random);
    }

    /** Runs {@code task} on the supervisor's thread; after the stop, tasks are dropped. */
    private void submit(Task task) {
        try {
            executor.execute(() -> {
                try {
                    task.run();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    log.error("tunnel supervisor failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            // Stopped: nothing is supervised any more.
        }
    }

    @FunctionalInterface
    private interface Task {
        void run() throws InterruptedException;
    }

    private static void cancel(ScheduledFuture<?> future) {
        if (future != null) {
            future.cancel(false);
        }
    }

    /** cloudflared reads nothing from its stdin; closing it at once gives it end of input. */
    private static void closeQuietly(Process process) {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // Nothing was written: there is nothing to lose.
        }
    }

    private static UUID tunnelId(TunnelSettings settings) {
        return settings.enabled() ? settings.token().tunnelId() : null;
    }
}
