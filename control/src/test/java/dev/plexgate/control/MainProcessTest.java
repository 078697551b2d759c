package dev.plexgate.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plexgate.agent.testing.FakeBinary;
import dev.plexgate.control.admin.Promtool;
import dev.plexgate.control.cli.PlexgateCommand;
import dev.plexgate.proxy.ProxySettings;
import dev.plexgate.proxy.Transport;
import dev.plexgate.proxy.testing.RawHttpClient;
import dev.plexgate.proxy.testing.TestOrigin;
import dev.plexgate.proxy.testing.TestPki;
import dev.plexgate.proxy.tls.PemFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code plexgate run} as a process of its own, the way systemd runs it: signals and exit codes
 * only exist there. The child JVM runs {@link Main} on this test's class path.
 */
final class MainProcessTest {

    /** The default loop count, as the child JVM (which sees the CPUs this one does) will pick it. */
    private static final String DEFAULT_EVENT_LOOPS = ProxySettings.defaultEventLoops() == 1
            ? "1 event loop" : ProxySettings.defaultEventLoops() + " event loops";

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    private Path dir;

    @Test
    void run_servesUntilSigterm_thenStopsAndExitsZero() throws Exception {
        try (TestOrigin origin = TestOrigin.start()) {
            int port = freeLoopbackPort();
            Path config = Files.writeString(dir.resolve("plexgate.yml"), adminOnFreePort()
                    + "listen: 127.0.0.1:" + port + "\n"
                    + "upstream: http://127.0.0.1:" + origin.port() + "\n");

            try (Child plexgate = Child.start("run", "-c", config.toString())) {
                String startup = plexgate.awaitStdout(" listening on ");
                assertThat(startup).matches(".* INFO  \\[main\\] d\\.p\\.c\\.s\\.PlexgateService: plexgate "
                        + "\\d+\\.\\d+\\.\\d+\\S* listening on 127\\.0\\.0\\.1:" + port
                        + " \\(transport (epoll|nio), " + DEFAULT_EVENT_LOOPS + "\\), upstream http://127\\.0\\.0\\.1:"
                        + origin.port());
                assertThat(plexgate.stdout()).as("one line at startup").containsExactly(startup);

                HttpResponse<String> identity = identity(port);
                assertThat(identity.statusCode()).isEqualTo(200);
                assertThat(identity.body()).isEqualTo(TestOrigin.IDENTITY_XML);

                // SIGTERM. Process.destroy() would send the same but also close the pipes, losing the last lines.
                assertThat(plexgate.process.toHandle().destroy()).isTrue();
                assertThat(plexgate.process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
                assertThat(plexgate.process.exitValue()).isZero();
                plexgate.awaitStreamsClosed();
                assertThat(plexgate.stdout()).last().asString().endsWith("PlexgateService: stopped");
                assertThat(plexgate.stdout()).anyMatch(line -> line.contains("SIGTERM: stopping"));
                assertThat(plexgate.stderr()).isEmpty();
            }
        }
    }

    @Test
    void run_transportIoUring_servesOnIt_orSaysWhyNotAndServesOnEpoll() throws Exception {
        try (TestOrigin origin = TestOrigin.start()) {
            int port = freeLoopbackPort();
            Path config = Files.writeString(dir.resolve("plexgate.yml"), adminOnFreePort()
                    + "listen: 127.0.0.1:" + port + "\n"
                    + "upstream: http://127.0.0.1:" + origin.port() + "\n"
                    + "transport: io_uring\n");

            try (Child plexgate = Child.start("run", "-c", config.toString())) {
                String startup = plexgate.awaitStdout(" listening on ");
                String unavailable = Transport.Kind.IO_URING.unavailability();
                if (unavailable == null) {
                    assertThat(startup).contains("(transport io_uring, ");
                    assertThat(plexgate.stdout()).as("no warning").containsExactly(startup);
                } else {
                    assertThat(startup).contains("(transport epoll, ");
                    assertThat(plexgate.stdout()).first().asString().contains(" WARN  ")
                            .endsWith("transport io_uring is not available here (" + unavailable + "); serving on epoll");
                }
                HttpResponse<String> identity = identity(port);
                assertThat(identity.body()).isEqualTo(TestOrigin.IDENTITY_XML);
            }
        }
    }

    @Test
    void run_enforcesTheConfiguredRules_andWritesEvents() throws Exception {
        try (TestOrigin origin = TestOrigin.start()) {
            int port = freeLoopbackPort();
            Files.writeString(dir.resolve("allow.list"), "203.0.113.7 bob\n");
            Files.writeString(dir.resolve("bots.list"), "GPTBot\n");
            Path config = Files.writeString(dir.resolve("plexgate.yml"), adminOnFreePort()
                    + "listen: 127.0.0.1:" + port + "\n"
                    + "upstream: http://127.0.0.1:" + origin.port() + "\n"
                    + """
                    lists:
                      friends: allow.list
                      bots: {file: bots.list, kind: bots}
                    rules:
                      - name: Block bots
                        expression: cf.client.bot
                        action: block
                      - name: Allow IPs to skip WAF
                        expression: ip.src in $friends
                        action: skip
                        skip: [current, rate_limit, sbfm]
                      - name: Restrict IPs
                        expression: not ip.src in $friends
                        action: block
                    bot_fight_mode: true
                    events:
                      file: events.jsonl
                    """);

            try (Child plexgate = Child.start("run", "-c", config.toString())) {
                plexgate.awaitStdout(" listening on ");
                assertThat(plexgate.stdout()).as("no warnings").hasSize(1);

                HttpResponse<String> friend = get(port, "203.0.113.7", "Plex/1.0");
                assertThat(friend.statusCode()).isEqualTo(200);
                assertThat(friend.body()).isEqualTo(TestOrigin.IDENTITY_XML);

                HttpResponse<String> stranger = get(port, "198.51.100.9", "Plex/1.0");
                assertThat(stranger.statusCode()).isEqualTo(403);
                assertThat(stranger.body()).contains("Restrict IPs");

                HttpResponse<String> bot = get(port, "203.0.113.7", "Mozilla/5.0 (compatible; GPTBot/1.2)");
                assertThat(bot.statusCode()).isEqualTo(403);
                assertThat(bot.body()).contains("Block bots");

                Path events = dir.resolve("events.jsonl");
                await().atMost(DEADLINE).until(() -> Files.exists(events)
                        && Files.readAllLines(events).stream().filter(line -> line.contains("\"block\"")).count() == 2);
                assertThat(Files.readAllLines(events))
                        .anyMatch(line -> line.contains("\"skip\"") && line.contains("Allow IPs to skip WAF"))
                        .anyMatch(line -> line.contains("\"block\"") && line.contains("Restrict IPs")
                                && line.contains("198.51.100.9"))
                        .anyMatch(line -> line.contains("\"block\"") && line.contains("Block bots"));

                assertThat(plexgate.process.toHandle().destroy()).isTrue();
                assertThat(plexgate.process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
                assertThat(plexgate.process.exitValue()).isZero();
            }
        }
    }

    @Test
    void run_reloadsChangedFiles_andKeepsServingThroughABadOne() throws Exception {
        try (TestOrigin origin = TestOrigin.start()) {
            int port = freeLoopbackPort();
            Path allow = Files.writeString(dir.resolve("allow.list"), "198.51.100.1 someone\n");
            String head = adminOnFreePort() + "listen: 127.0.0.1:" + port + "\n"
                    + "upstream: http://127.0.0.1:" + origin.port() + "\n"
                    + "events:\n  file: events.jsonl\nlists:\n  friends: allow.list\n";
            String rules = """
                    rules:
                      - name: Restrict IPs
                        expression: not ip.src in $friends
                        action: block
                    """;
            Path config = Files.writeString(dir.resolve("plexgate.yml"), head + rules);

            try (Child plexgate = Child.start("run", "-c", config.toString())) {
                plexgate.awaitStdout(" listening on ");
                assertThat(get(port, "203.0.113.7", "Plex/1.0").statusCode()).isEqualTo(403);

                // An edited allow-list is picked up by the file watch.
                Files.writeString(allow, "198.51.100.1 someone\n203.0.113.7 bob\n");
                await().atMost(DEADLINE).until(() -> get(port, "203.0.113.7", "Plex/1.0").statusCode() == 200);
                plexgate.awaitStdout("reloaded " + config + " (file change)");

                // A broken plexgate.yml is rejected with its error; the running config stays.
                Files.writeString(config, head + rules.replace("ip.src", "ip.source"));
                plexgate.awaitStdout("rejected, the running config stays");
                assertThat(plexgate.stdout()).anyMatch(line -> line.contains("unknown field 'ip.source'"));
                assertThat(get(port, "203.0.113.7", "Plex/1.0").statusCode()).isEqualTo(200);

                // SIGHUP reloads too (systemctl reload): the fixed file takes effect.
                Files.writeString(config, head + rules.replace("not ip.src in $friends", "ip.src in $friends"));
                int reloadsBefore = (int) plexgate.stdout().stream().filter(line -> line.contains("reloaded ")).count();
                assertThat(new ProcessBuilder("kill", "-HUP", String.valueOf(plexgate.process.pid())).start()
                        .waitFor()).isZero();
                await().atMost(DEADLINE).until(() -> plexgate.stdout().stream()
                        .filter(line -> line.contains("reloaded ")).count() > reloadsBefore);
                await().atMost(DEADLINE).until(() -> get(port, "203.0.113.7", "Plex/1.0").statusCode() == 403);

                assertThat(plexgate.process.toHandle().destroy()).isTrue();
                assertThat(plexgate.process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
                assertThat(plexgate.process.exitValue()).isZero();
            }
        }
    }

    @Test
    void run_tlsListener_servesWithTheCertificateOfTlsInit_andPicksUpItsRenewal() throws Exception {
        try (TestOrigin origin = TestOrigin.start()) {
            Path tls = dir.resolve("tls");
            StringWriter output = new StringWriter();
            assertThat(plexgate(output, "tls", "init", "--dir", tls.toString(), "--name", "localhost",
                    "--ip", "127.0.0.1")).as(output.toString()).isZero();
            int port = freeLoopbackPort();
            int tlsPort = freeLoopbackPort();
            Path config = Files.writeString(dir.resolve("plexgate.yml"), adminOnFreePort()
                    + "listen: 127.0.0.1:" + port + "\n"
                    + "listen_tls:\n  address: 127.0.0.1:" + tlsPort + "\n  cert: tls/server.pem\n  key: tls/server.key\n"
                    + "upstream: http://127.0.0.1:" + origin.port() + "\n");
            SSLContext trustingTheLocalCa = TestPki.trusting(PemFiles.certificates(tls.resolve("ca.pem")).get(0));
            String request = "GET /identity HTTP/1.1\r\nHost: localhost\r\nCF-Connecting-IP: 203.0.113.7\r\n\r\n";

            try (Child plexgate = Child.start("run", "-c", config.toString())) {
                plexgate.awaitStdout("TLS listener on 127.0.0.1:" + tlsPort);
                try (RawHttpClient open = RawHttpClient.overTls(tlsPort, trustingTheLocalCa)) {
                    assertThat(open.send(request).readResponse().status()).isEqualTo(200);
                    Certificate first = open.tlsSession().getPeerCertificates()[0];

                    assertThat(plexgate(output, "tls", "renew", "--dir", tls.toString())).as(output.toString()).isZero();
                    plexgate.awaitStdout("reloaded " + config + " (file change)");

                    try (RawHttpClient fresh = RawHttpClient.overTls(tlsPort, trustingTheLocalCa)) {
                        assertThat(fresh.tlsSession().getPeerCertificates()[0]).isNotEqualTo(first);
                        assertThat(fresh.send(request).readResponse().status()).isEqualTo(200);
                    }
                    assertThat(open.send(request).readResponse().status()).isEqualTo(200);
                    assertThat(open.tlsSession().getPeerCertificates()[0]).isEqualTo(first);
                }
                assertThat(plexgate.process.toHandle().destroy()).isTrue();
                assertThat(plexgate.process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
                assertThat(plexgate.process.exitValue()).isZero();
            }
        }
    }

    @Test
    void run_badExpression_exitsTwoWithItsPositionInTheFile() throws Exception {
        Path config = Files.writeString(dir.resolve("plexgate.yml"), "rules:\n  - name: x\n    action: block\n"
                + "    expression: ip.source eq 1.2.3.4\n");

        try (Child plexgate = Child.start("run", "-c", config.toString())) {
            assertThat(plexgate.process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(plexgate.process.exitValue()).isEqualTo(2);
            plexgate.awaitStreamsClosed();
            assertThat(plexgate.stderr()).containsExactly(
                    config + ":4:17: rules[0].expression: unknown field 'ip.source'", "ip.source eq 1.2.3.4",
                    "^^^^^^^^^");
        }
    }

    @Test
    void run_withTheTunnel_supervisesCloudflared_restartsItOnlyWhenTheTunnelSectionChanges() throws Exception {
        FakeBinary cloudflared = FakeBinary.install(dir);
        UUID tunnelId = UUID.randomUUID();
        String token = FakeBinary.token(tunnelId);
        Path tokenFile = Files.writeString(dir.resolve("tunnel.token"), token + "\n");
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
        List<Long> children = new ArrayList<>();
        try (TestOrigin origin = TestOrigin.start()) {
            int port = freeLoopbackPort();
            String head = adminOnFreePort() + "listen: 127.0.0.1:" + port + "\n"
                    + "upstream: http://127.0.0.1:" + origin.port() + "\n";
            String tunnel = "tunnel:\n  enabled: true\n  cloudflared: cloudflared\n  token_file: tunnel.token\n"
                    + "  metrics: 127.0.0.1:" + freeLoopbackPort() + "\n";
            Path config = Files.writeString(dir.resolve("plexgate.yml"), head + tunnel + "  grace_period: 1s\n");

            try (Child plexgate = Child.start("run", "-c", config.toString())) {
                long first = childPid(plexgate.awaitStdout("started cloudflared (pid "));
                children.add(first);
                // The proxy serves before the tunnel is up, and whatever it does.
                assertThat(get(port, "203.0.113.7", "Plex/1.0").statusCode()).isEqualTo(200);
                cloudflared.tell("ready");
                plexgate.awaitStdout("tunnel " + tunnelId + " connected: 4 edge connections");
                assertThat(plexgate.stdout()).anyMatch(line -> line.contains(" INFO  [cloudflared-stderr] cloudflared: "
                        + "Registered tunnel connection connIndex=0"));

                // A reload that leaves the tunnel section alone leaves cloudflared alone.
                Files.writeString(config, head + "cache: {bypass: false}\n" + tunnel + "  grace_period: 1s\n");
                plexgate.awaitStdout("reloaded " + config);
                assertThat(ProcessHandle.of(first)).get().matches(ProcessHandle::isAlive);

                // A tunnel section that fails to load is rejected like any other error; cloudflared stays.
                Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-r--r--"));
                Files.writeString(config, head + tunnel + "  grace_period: 1s\n");
                plexgate.awaitStdout("rejected, the running config stays");
                assertThat(plexgate.stdout()).anyMatch(line -> line.endsWith("tunnel.token_file: '" + tokenFile
                        + "' is readable by group or others (rw-r--r--); the token is a secret: chmod 600 " + tokenFile
                        + " (expected: a file holding the tunnel's token from the dashboard, readable by its owner only"
                        + " (mode 0600))"));
                assertThat(ProcessHandle.of(first)).get().matches(ProcessHandle::isAlive);

                // One that changes it restarts cloudflared once.
                Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
                Files.writeString(config, head + tunnel + "  grace_period: 2s\n");
                plexgate.awaitStdout("tunnel section changed: restarting cloudflared");
                long second = childPid(plexgate.awaitStdout("--grace-period 2s run"));
                children.add(second);
                assertThat(second).isNotEqualTo(first);
                assertThat(ProcessHandle.of(first)).isEmpty();
                plexgate.awaitStdout("tunnel " + tunnelId + " connected");

                assertThat(plexgate.process.toHandle().destroy()).isTrue();
                assertThat(plexgate.process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
                assertThat(plexgate.process.exitValue()).isZero();
                plexgate.awaitStreamsClosed();
                assertThat(ProcessHandle.of(second)).isEmpty();
                assertThat(plexgate.stdout())
                        .anyMatch(line -> line.contains("cloudflared: Initiating graceful shutdown due to signal"))
                        .filteredOn(line -> line.contains("started cloudflared")).hasSize(2);
                assertThat(plexgate.stdout()).last().asString().endsWith("PlexgateService: stopped");
                assertThat(String.join("\n", plexgate.stdout()) + String.join("\n", plexgate.stderr()))
                        .doesNotContain(token);
            }
        } finally {
            // A failed assertion kills plexgate with SIGKILL, which no hook survives: clean up after it.
            children.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
    }

    @Test
    void run_adminListener_statusMetricsReadyAndReload_neverShowingASecret() throws Exception {
        FakeBinary cloudflared = FakeBinary.install(dir);
        UUID tunnelId = UUID.randomUUID();
        String token = FakeBinary.token(tunnelId);
        String plexToken = "plexTOKENxyz123secret";
        Path tokenFile = Files.writeString(dir.resolve("tunnel.token"), token + "\n");
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
        List<Long> children = new ArrayList<>();
        try (TestOrigin origin = TestOrigin.start()) {
            int port = freeLoopbackPort();
            int adminPort = freeLoopbackPort();
            String head = "admin:\n  listen: 127.0.0.1:" + adminPort + "\nlisten: 127.0.0.1:" + port + "\n"
                    + "upstream: http://127.0.0.1:" + origin.port() + "\n";
            String tunnel = "tunnel:\n  enabled: true\n  cloudflared: cloudflared\n  token_file: tunnel.token\n"
                    + "  metrics: 127.0.0.1:" + freeLoopbackPort() + "\n  grace_period: 1s\n";
            Path config = Files.writeString(dir.resolve("plexgate.yml"), head + tunnel);

            try (Child plexgate = Child.start("run", "-c", config.toString())) {
                children.add(childPid(plexgate.awaitStdout("started cloudflared (pid ")));
                cloudflared.tell("ready");
                plexgate.awaitStdout("tunnel " + tunnelId + " connected");
                HttpResponse<String> withToken = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/identity?X-Plex-Token=" + plexToken))
                        .header("X-Plex-Token", plexToken).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(withToken.statusCode()).isEqualTo(200);
                assertThat(get(port, "203.0.113.7", "Plex/1.0").statusCode()).isEqualTo(200);

                await().atMost(DEADLINE).until(() -> admin(adminPort, "GET", "/ready").statusCode() == 200);
                HttpResponse<String> status = admin(adminPort, "GET", "/status");
                assertThat(status.statusCode()).isEqualTo(200);
                assertThat(status.body())
                        .contains("\"state\" : \"CONNECTED\"", "\"tunnel_id\" : \"" + tunnelId + "\"",
                                "\"machine_id\" : \"test-machine-id\"", "\"allow\" : 2")
                        .doesNotContain(token).doesNotContain(plexToken);

                // plexgate status, as an operator runs it next to the service.
                StringWriter summary = new StringWriter();
                assertThat(plexgate(summary, "status", "-c", config.toString())).isZero();
                assertThat(summary.toString())
                        .contains("listener     127.0.0.1:" + port + " (")
                        .contains("upstream     http://127.0.0.1:" + origin.port()
                                + ": Plex 1.40.0.0000-test, machine test-machine-id")
                        .contains("tunnel       connected since ")
                        .contains(", 4 edge connections, 0 restarts")
                        .contains("config       " + config + ", last loaded ")
                        .contains("(start): applied")
                        .contains("requests     allow 2, block 0");
                StringWriter json = new StringWriter();
                assertThat(plexgate(json, "status", "--json", "-c", config.toString())).isZero();
                assertThat(json.toString()).startsWith("{").contains("\"tunnel_id\" : \"" + tunnelId + "\"");

                String metrics = admin(adminPort, "GET", "/metrics").body();
                assertThat(metrics)
                        .contains("plexgate_requests_total{action=\"allow\",rule=\"\"} 2.0")
                        .contains("plexgate_events_dropped_total 0.0")
                        .contains("plexgate_config_reloads_total{result=\"success\"} 0.0")
                        .contains("plexgate_config_last_reload_success_timestamp_seconds ")
                        .contains("plexgate_tunnel_up 1.0")
                        .contains("plexgate_tunnel_ready_connections 4.0")
                        .contains("plexgate_tunnel_restarts_total 0.0")
                        .contains("plexgate_active_connections ")
                        .contains("plexgate_upstream_up 1.0")
                        .doesNotContain(token).doesNotContain(plexToken);
                Promtool.assertClean(metrics);

                HttpResponse<String> applied = admin(adminPort, "POST", "/reload");
                assertThat(applied.statusCode()).isEqualTo(200);
                assertThat(applied.body()).startsWith("reloaded " + config + " (POST /reload): 0 rules");

                Files.writeString(config, head + tunnel + "rules: [not a rule]\n");
                HttpResponse<String> rejected = admin(adminPort, "POST", "/reload");
                assertThat(rejected.statusCode()).isEqualTo(409);
                assertThat(rejected.body()).startsWith("reload (POST /reload) rejected, the running config stays:\n"
                        + config + ":");
                assertThat(admin(adminPort, "GET", "/reload").statusCode()).isEqualTo(405);
                StringWriter afterRejection = new StringWriter();
                assertThat(plexgate(afterRejection, "status", "-c", config.toString())).isZero();
                assertThat(afterRejection.toString()).contains("REJECTED, the previous config still runs");

                assertThat(plexgate.process.toHandle().destroy()).isTrue();
                assertThat(plexgate.process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
                assertThat(plexgate.process.exitValue()).isZero();
            }
            StringWriter stopped = new StringWriter();
            assertThat(plexgate(stopped, "status", "-c", config.toString())).isEqualTo(1);
        } finally {
            children.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
    }

    private static HttpResponse<String> admin(int adminPort, String method, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
                        .method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A plexgate command in this JVM, its output and errors both into {@code output}. */
    private static int plexgate(StringWriter output, String... args) {
        CommandLine commandLine = PlexgateCommand.commandLine();
        commandLine.setOut(new PrintWriter(output, true));
        commandLine.setErr(new PrintWriter(output, true));
        return commandLine.execute(args);
    }

    /** The child's process id from the agent's "started cloudflared (pid N) ..." line. */
    private static long childPid(String startedLine) {
        Matcher matcher = Pattern.compile("started cloudflared \\(pid (\\d+)\\)").matcher(startedLine);
        assertThat(matcher.find()).as(startedLine).isTrue();
        return Long.parseLong(matcher.group(1));
    }

    /** Plex's {@code /identity} through the proxy, asked plainly. */
    private static HttpResponse<String> identity(int port) throws Exception {
        return HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/identity")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A request as cloudflared forwards it: from loopback, the visitor named by CF-Connecting-IP. */
    private static HttpResponse<String> get(int port, String visitor, String userAgent) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/identity"))
                        .header("CF-Connecting-IP", visitor)
                        .header("User-Agent", userAgent)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void run_listenAddressInUse_exitsOneNamingTheAddress() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Path config = Files.writeString(dir.resolve("plexgate.yml"),
                    "listen: 127.0.0.1:" + taken.getLocalPort() + "\n");

            try (Child plexgate = Child.start("run", "-c", config.toString())) {
                assertThat(plexgate.process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
                assertThat(plexgate.process.exitValue()).isEqualTo(1);
                plexgate.awaitStreamsClosed();
                assertThat(plexgate.stderr()).containsExactly(
                        "plexgate: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": Address already in use");
            }
        }
    }

    /** A port nothing listens on right now: bound by the system, then released for plexgate. */
    @Test
    void run_adminAddressInUse_exitsOneNamingIt() throws Exception {
        try (TestOrigin origin = TestOrigin.start();
                ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Path config = Files.writeString(dir.resolve("plexgate.yml"), "admin:\n  listen: 127.0.0.1:"
                    + taken.getLocalPort() + "\nlisten: 127.0.0.1:" + freeLoopbackPort() + "\n"
                    + "upstream: http://127.0.0.1:" + origin.port() + "\n");

            try (Child plexgate = Child.start("run", "-c", config.toString())) {
                assertThat(plexgate.process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
                assertThat(plexgate.process.exitValue()).isEqualTo(1);
                plexgate.awaitStreamsClosed();
                assertThat(plexgate.stderr()).containsExactly("plexgate: cannot listen on 127.0.0.1:"
                        + taken.getLocalPort() + " (admin.listen): Address already in use");
            }
        }
    }

    /** An admin listener of its own: another plexgate on this machine may hold the default port. */
    private static String adminOnFreePort() throws IOException {
        return "admin:\n  listen: 127.0.0.1:" + freeLoopbackPort() + "\n";
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    /** The child JVM and the lines of its output, collected as they come. */
    private static final class Child implements AutoCloseable {

        final Process process;
        private final List<String> stdout = new CopyOnWriteArrayList<>();
        private final List<String> stderr = new CopyOnWriteArrayList<>();
        private final List<Thread> pumps = new ArrayList<>();

        private Child(Process process) {
            this.process = process;
            pumps.add(pump(process.getInputStream(), stdout, "stdout"));
            pumps.add(pump(process.getErrorStream(), stderr, "stderr"));
        }

        static Child start(String... args) throws IOException {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"),
                    // The shipped logging configuration, not a logback-test.xml a test jar may carry.
                    "-Dlogback.configurationFile=" + MainProcessTest.class.getResource("/logback.xml"),
                    Main.class.getName()));
            command.addAll(List.of(args));
            return new Child(new ProcessBuilder(command).start());
        }

        String awaitStdout(String fragment) {
            await().atMost(DEADLINE)
                    .failFast(() -> assertThat(process.isAlive()).as(this::exitReport).isTrue())
                    .until(() -> stdout.stream().anyMatch(line -> line.contains(fragment)));
            return stdout.stream().filter(line -> line.contains(fragment)).findFirst().orElseThrow();
        }

        /** Why the child is gone: its exit code and everything it printed, once the pumps have read it all. */
        private String exitReport() {
            awaitStreamsClosed();
            return "plexgate exited with " + process.exitValue() + "; stdout: " + stdout + "; stderr: " + stderr;
        }

        void awaitStreamsClosed() {
            await().atMost(DEADLINE).until(() -> pumps.stream().noneMatch(Thread::isAlive));
        }

        List<String> stdout() {
            return List.copyOf(stdout);
        }

        List<String> stderr() {
            return List.copyOf(stderr);
        }

        /** Kills a child that a failed assertion left running. */
        @Override
        public void close() {
            process.destroyForcibly();
        }

        private static Thread pump(InputStream stream, List<String> lines, String name) {
            Thread thread = new Thread(() -> {
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // Closed by destroyForcibly() at the end of a test: nothing more to read.
                }
            }, "child-" + name);
            thread.setDaemon(true);
            thread.start();
            return thread;
        }
    }
}
