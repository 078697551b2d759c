package dev.plexgate.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plexgate.agent.testing.FakeBinary;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisor against {@link dev.plexgate.agent.testing.FakeCloudflared}, a real child process:
 * the timing is shortened (a 1 s grace period, backoff from 100 ms) and every wait has a deadline.
 */
final class TunnelAgentTest {

    private static final Duration DEADLINE = Duration.ofSeconds(15);
    private static final UUID TUNNEL = UUID.fromString("6ff42ae2-765d-4adf-8112-31c55c1551ef");
    private static final String TOKEN = FakeBinary.token(TUNNEL);
    private static final TunnelAgent.Timing TIMING = new TunnelAgent.Timing(Duration.ofMillis(50),
            Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofSeconds(30),
            Duration.ofMillis(700), Duration.ofMillis(500));

    @TempDir
    private Path dir;
    private FakeBinary fake;
    private LogCapture log;
    private final MovableClock clock = new MovableClock();
    private TunnelAgent agent;

    @BeforeEach
    void installFake() throws IOException {
        fake = FakeBinary.install(dir);
        log = new LogCapture();
    }

    @AfterEach
    void stopAgent() {
        if (agent != null) {
            agent.stop();
        }
        log.close();
    }

    @Test
    void start_tokenOnlyInTheChildsEnvironment_neverInItsArgvOrTheLog() throws Exception {
        TunnelSettings settings = settings(List.of());
        start(settings);
        long pid = awaitChild();

        // The script execs the JVM: once the fake's class is on the command line, the process is the fake.
        await().atMost(DEADLINE).until(() -> cmdline(pid).contains(FAKE));
        List<String> argv = cmdline(pid);
        assertThat(argv.subList(argv.indexOf(FAKE) + 1, argv.size())).containsExactly("tunnel", "--no-autoupdate",
                "--metrics", settings.metricsAddress(), "--grace-period", "1s", "run");
        assertThat(String.join(" ", argv)).doesNotContain(TOKEN);
        assertThat(environ(pid)).contains("TUNNEL_TOKEN=" + TOKEN);

        fake.tell("ready");
        await().atMost(DEADLINE).until(() -> agent.status().state() == AgentState.CONNECTED);
        assertThat(log.lines()).noneMatch(line -> line.contains(TOKEN))
                .anyMatch(line -> line.startsWith("INFO TunnelAgent: started cloudflared (pid " + pid + ") for tunnel "
                        + TUNNEL + ": " + fake.executable() + " tunnel --no-autoupdate"))
                .anyMatch(line -> line.startsWith("INFO cloudflared: Starting tunnel tunnelID=" + TUNNEL));
        assertThat(agent.status().toString()).doesNotContain(TOKEN);
        assertThat(settings.toString()).doesNotContain(TOKEN);
    }

    @Test
    void readiness_startingConnectedDegradedAndBack() throws Exception {
        start(settings(List.of()));
        awaitChild();
        assertThat(agent.status().tunnelId()).isEqualTo(TUNNEL);

        fake.tell("ready");
        await().atMost(DEADLINE).until(() -> agent.status().state() == AgentState.CONNECTED);
        AgentStatus connected = agent.status();
        assertThat(connected.readyConnections()).isEqualTo(4);
        assertThat(connected.connectorId()).isNotNull();
        assertThat(connected.problem()).isNull();
        assertThat(log.lines()).anyMatch(line -> line.equals("INFO TunnelAgent: tunnel " + TUNNEL + " connected: 4 edge"
                + " connections, connector " + connected.connectorId()));

        fake.tell("lose");
        await().atMost(DEADLINE).until(() -> agent.status().state() == AgentState.DEGRADED);
        assertThat(agent.status().readyConnections()).isZero();
        assertThat(agent.status().problem()).startsWith("cloudflared not ready for ").endsWith(
                " (/ready answers 503); see its log lines");
        assertThat(Duration.between(connected.since(), agent.status().since())).isGreaterThanOrEqualTo(
                TIMING.readyGrace());
        assertThat(log.lines()).contains("ERROR cloudflared: Lost connection with the edge connIndex=0");

        fake.tell("ready 2");
        await().atMost(DEADLINE).until(() -> agent.status().state() == AgentState.CONNECTED);
        assertThat(agent.status().readyConnections()).isEqualTo(2);
        assertThat(agent.status().restarts()).isZero();
    }

    @Test
    void neverReady_turnsDegradedAfterTheGrace() throws Exception {
        start(settings(List.of()));
        awaitChild();

        await().atMost(DEADLINE).until(() -> agent.status().state() == AgentState.DEGRADED);
        assertThat(agent.status().lastExitCode()).isNull();
    }

    @Test
    void crash_backoffThenRestart_countedAndLoggedWithTheLastLines() throws Exception {
        fake.tell("ready");
        start(settings(List.of()));
        long first = awaitChild();
        await().atMost(DEADLINE).until(() -> agent.status().state() == AgentState.CONNECTED);

        fake.tell("once exit 3");
        await().atMost(DEADLINE).until(() -> agent.status().restarts() == 1
                && agent.status().state() == AgentState.CONNECTED);
        assertThat(agent.childPid()).isNotEqualTo(first);
        assertThat(ProcessHandle.of(first)).isEmpty();
        assertThat(agent.status().lastExitCode()).isEqualTo(3);
        assertThat(log.lines()).anyMatch(line -> line.startsWith("WARN TunnelAgent: cloudflared exited with code 3 after ")
                && line.contains("; restart 1 in ") && line.contains("Its last lines:\n")
                && line.endsWith(" ERR exiting with code 3 as told"));
    }

    @Test
    void exitZeroBeforeReady_isAFailure_andRestarted() throws Exception {
        fake.tell("once exit 0");
        start(settings(List.of()));

        await().atMost(DEADLINE).until(() -> agent.status().restarts() == 1 && agent.childPid() > 0);
        assertThat(agent.status().lastExitCode()).isZero();
        assertThat(log.lines()).anyMatch(line ->
                line.startsWith("WARN TunnelAgent: cloudflared exited with code 0 before it was ever ready after "));
    }

    @Test
    void crashLoop_backoffDoublesToItsCeiling_thenResetsAfterAStablePeriod() throws Exception {
        // Children one to four each take one line and exit at once; the fifth stays up.
        fake.tell("once exit 1", "once exit 1", "once exit 1", "once exit 1");
        agent = new TunnelAgent(settings(List.of()), TIMING, clock, RestartBackoffTest.highest());
        agent.start();

        await().atMost(DEADLINE).until(() -> agent.status().restarts() == 4 && agent.childPid() > 0);
        assertThat(restartDelays()).containsExactly("100ms", "200ms", "400ms", "400ms");

        // The fifth child has been up for the stable period by the agent's clock: the next delay is the base again.
        clock.advance(TIMING.stablePeriod());
        fake.tell("once exit 1");
        await().atMost(DEADLINE).until(() -> agent.status().restarts() == 5 && agent.childPid() > 0);
        assertThat(restartDelays()).containsExactly("100ms", "200ms", "400ms", "400ms", "100ms");
    }

    @Test
    void exit255_isAConfigurationError_notRestarted_untilTheSettingsChange() throws Exception {
        fake.tell("once exit 255");
        start(settings(List.of()));

        await().atMost(DEADLINE).until(() -> agent.status().state() == AgentState.STOPPED);
        assertThat(agent.status().lastExitCode()).isEqualTo(255);
        assertThat(agent.status().problem()).isEqualTo("cloudflared refused its token or arguments (exit 255);"
                + " not restarted until the tunnel section or the token changes");
        // Longer than the longest backoff: no restart came.
        await().during(TIMING.backoffMax().multipliedBy(2)).atMost(DEADLINE)
                .until(() -> agent.status().state() == AgentState.STOPPED && agent.childPid() == -1);
        assertThat(agent.status().restarts()).isZero();

        agent.reload(settings(List.of("--post-quantum")));
        await().atMost(DEADLINE).until(() -> agent.status().state() == AgentState.STARTING && agent.childPid() > 0);
        assertThat(agent.status().problem()).isNull();
    }

    @Test
    void stop_sigterm_childExitsGracefully_andIsGone() throws Exception {
        fake.tell("ready");
        start(settings(List.of()));
        long pid = awaitChild();
        await().atMost(DEADLINE).until(() -> agent.status().state() == AgentState.CONNECTED);

        long before = System.nanoTime();
        agent.stop();

        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(1));
        assertThat(agent.status().state()).isEqualTo(AgentState.STOPPED);
        assertThat(ProcessHandle.of(pid)).isEmpty();
        assertThat(agent.childPid()).isEqualTo(-1);
        await().atMost(DEADLINE).until(() -> log.has("INFO cloudflared: Initiating graceful shutdown due to signal"));
        assertThat(log.lines()).noneMatch(line -> line.contains("killing it"));
    }

    @Test
    void stop_childIgnoringSigterm_isKilledAfterGraceAndMargin() throws Exception {
        fake.tell("ignore-sigterm", "log INF will ignore SIGTERM");
        start(settings(List.of()));
        long pid = awaitChild();
        await().atMost(DEADLINE).until(() -> log.has("will ignore SIGTERM"));

        long before = System.nanoTime();
        agent.stop();

        assertThat(Duration.ofNanos(System.nanoTime() - before)).isGreaterThanOrEqualTo(Duration.ofMillis(1700));
        assertThat(ProcessHandle.of(pid)).isEmpty();
        assertThat(log.lines()).contains("WARN TunnelAgent: cloudflared (pid " + pid
                + ") still running 1700ms after SIGTERM: killing it");
        await().atMost(DEADLINE).until(() -> log.has("WARN cloudflared: ignoring SIGTERM, as told"));
    }

    @Test
    void logRelay_levelsAndRedaction_andAFloodDoesNotStallTheChild() throws Exception {
        start(settings(List.of()));
        awaitChild();

        fake.tell("log WRN Unable to reach the origin service originService=http://127.0.0.1:32401",
                "say TUNNEL_TOKEN=" + TOKEN,
                "log ERR GET /library/sections?X-Plex-Token=abcDEF123456 status=502",
                "flood 20000",
                "ready");
        await().atMost(DEADLINE).until(() -> agent.status().state() == AgentState.CONNECTED);
        await().atMost(DEADLINE).until(() -> log.has("INFO cloudflared: flood done"));

        assertThat(log.lines())
                .contains("WARN cloudflared: Unable to reach the origin service originService=http://127.0.0.1:32401",
                        "WARN cloudflared: TUNNEL_TOKEN=REDACTED",
                        "ERROR cloudflared: GET /library/sections?X-Plex-Token=REDACTED status=502")
                .noneMatch(line -> line.contains(TOKEN) || line.contains("abcDEF123456"));
        assertThat(log.lines().stream().filter(line -> line.startsWith("INFO cloudflared: flood line "))).hasSize(20000);
    }

    @Test
    void logRelay_jsonOutput_isUnderstood() throws Exception {
        start(settings(List.of("--output=json")));
        awaitChild();
        fake.tell("ready 1", "log ERR Unable to reach the origin service");

        await().atMost(DEADLINE).until(() -> log.has("ERROR cloudflared: Unable to reach the origin service"));
        assertThat(log.lines()).anyMatch(line -> line.startsWith("INFO cloudflared: Registered tunnel connection connIndex=0"));
    }

    @Test
    void metricsAddressTaken_exitsOneBeforeReady_andIsRetried() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            start(settings(List.of(), new InetSocketAddress(InetAddress.getLoopbackAddress(), taken.getLocalPort())));

            await().atMost(DEADLINE).until(() -> agent.status().restarts() >= 1);
            assertThat(agent.status().lastExitCode()).isEqualTo(1);
            assertThat(log.lines()).anyMatch(line -> line.startsWith("ERROR cloudflared: Error opening metrics server"));
        }
    }

    @Test
    void reload_equalSettings_leaveTheChildAlone_changedOnes_restartItOnce() throws Exception {
        fake.tell("ready");
        TunnelSettings settings = settings(List.of());
        start(settings);
        long first = awaitChild();
        await().atMost(DEADLINE).until(() -> agent.status().state() == AgentState.CONNECTED);

        agent.reload(new TunnelSettings(true, settings.cloudflared(), TunnelToken.parse(TOKEN), settings.metrics(),
                settings.protocol(), settings.gracePeriod(), List.of()));
        await().during(Duration.ofMillis(300)).atMost(DEADLINE).until(() -> agent.childPid() == first);

        agent.reload(new TunnelSettings(true, settings.cloudflared(), settings.token(), settings.metrics(),
                settings.protocol(), settings.gracePeriod(), List.of("--post-quantum")));
        await().atMost(DEADLINE).until(() -> agent.childPid() > 0 && agent.childPid() != first
                && agent.status().state() == AgentState.CONNECTED);
        long second = agent.childPid();
        assertThat(ProcessHandle.of(first)).isEmpty();
        assertThat(cmdline(second)).contains("--post-quantum");
        assertThat(agent.status().restarts()).as("not an exit: not counted").isZero();
        assertThat(log.lines()).containsOnlyOnce("INFO TunnelAgent: tunnel section changed: restarting cloudflared");

        agent.reload(TunnelSettings.DISABLED);
        await().atMost(DEADLINE).until(() -> agent.status().state() == AgentState.DISABLED);
        assertThat(ProcessHandle.of(second)).isEmpty();
    }

    @Test
    void jvmExitWithoutStop_shutdownHookTakesTheChildAlong() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), AgentInDyingJvm.class.getName(),
                fake.executable().toString(), String.valueOf(freeLoopbackPort()))
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("TUNNEL_TOKEN", TOKEN);
        Process jvm = builder.start();

        long child = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .filter(line -> line.startsWith(AgentInDyingJvm.CHILD_PID))
                .mapToLong(line -> Long.parseLong(line.substring(AgentInDyingJvm.CHILD_PID.length()).strip()))
                .findFirst().orElseThrow(() -> new AssertionError("the dying JVM printed no child pid"));
        assertThat(jvm.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(jvm.exitValue()).isEqualTo(3);
        assertThat(ProcessHandle.of(child)).isEmpty();
    }

    @Test
    void disabled_startsNothing() {
        agent = new TunnelAgent(TunnelSettings.DISABLED, TIMING, clock, RestartBackoffTest.highest());
        agent.start();

        await().during(Duration.ofMillis(200)).atMost(DEADLINE).until(() -> agent.childPid() == -1);
        assertThat(agent.status()).isEqualTo(new AgentStatus(AgentState.DISABLED, agent.status().since(), 0, null, 0,
                null, null, null));
    }

    private static final String FAKE = "dev.plexgate.agent.testing.FakeCloudflared";
    private static final Pattern RESTART_DELAY = Pattern.compile("; restart \\d+ in (\\S+)\\. ");

    private List<String> restartDelays() {
        return log.lines().stream().map(RESTART_DELAY::matcher).filter(Matcher::find).map(m -> m.group(1)).toList();
    }

    private void start(TunnelSettings settings) {
        agent = new TunnelAgent(settings, TIMING, clock, RestartBackoffTest.highest());
        agent.start();
    }

    private long awaitChild() {
        await().atMost(DEADLINE).until(() -> agent.childPid() > 0);
        return agent.childPid();
    }

    private TunnelSettings settings(List<String> extraArgs) throws Exception {
        return settings(extraArgs, new InetSocketAddress(InetAddress.getLoopbackAddress(), freeLoopbackPort()));
    }

    private TunnelSettings settings(List<String> extraArgs, InetSocketAddress metrics) throws Exception {
        return new TunnelSettings(true, fake.executable(), TunnelToken.parse(TOKEN), metrics, TunnelProtocol.AUTO,
                Duration.ofSeconds(1), extraArgs);
    }

    private static List<String> cmdline(long pid) throws IOException {
        return nulSeparated(Path.of("/proc", String.valueOf(pid), "cmdline"));
    }

    private static List<String> environ(long pid) throws IOException {
        return nulSeparated(Path.of("/proc", String.valueOf(pid), "environ"));
    }

    private static List<String> nulSeparated(Path file) throws IOException {
        return Arrays.asList(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\0"));
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The system clock, moved forward on request, for the supervisor's idea of how long a child ran. */
    private static final class MovableClock extends Clock {

        private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

        void advance(Duration by) {
            offset.updateAndGet(current -> current.plus(by));
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset.get());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
