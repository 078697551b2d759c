package dev.plexgate.agent.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import sun.misc.Signal;

/**
 * A stand-in for {@code cloudflared tunnel ... run}, run as a real child process by the agent's
 * tests. It checks what the real one checks locally (DESIGN §6): options after {@code run} print
 * "Incorrect Usage" and exit 0, a grace period without a unit exits 0 silently, a missing or
 * malformed {@code TUNNEL_TOKEN} prints "Provided Tunnel token is not valid." and exits 255, a
 * taken {@code --metrics} address exits 1. It then serves {@code /ready}, {@code /metrics} and
 * {@code /healthcheck} there and logs to stderr in cloudflared's console format, or JSON lines with
 * {@code --output json}.
 *
 * <p>What it does next is read from the file named by {@code FAKE_CLOUDFLARED_CONTROL}, one command a
 * line, every line from the top in each new child, new lines as they are appended:
 *
 * <pre>
 * ready [N]       N edge connections registered (4): /ready turns 200
 * lose            every connection lost: /ready turns 503
 * exit CODE       exit now with CODE
 * say TEXT        TEXT as a raw line on stderr
 * log LEVEL TEXT  TEXT as a log line at LEVEL (DBG INF WRN ERR)
 * flood N         N long log lines as fast as the pipe takes them
 * ignore-sigterm  SIGTERM is logged and otherwise ignored
 * once COMMAND    COMMAND in the first child that reads this line only
 * </pre>
 */
public final class FakeCloudflared {

    public static final String CONTROL_ENV = "FAKE_CLOUDFLARED_CONTROL";
    private static final Set<String> BOOLEAN_FLAGS = Set.of("no-autoupdate", "post-quantum");
    private static final Set<String> VALUE_FLAGS =
            Set.of("metrics", "protocol", "grace-period", "output", "loglevel", "edge-ip-version", "region", "retries");
    private static final Pattern GO_DURATION = Pattern.compile("([0-9]+(ns|us|ms|s|m|h))+");
    private static final Pattern TOKEN_JSON =
            Pattern.compile("\\{.*\"a\"\\s*:\\s*\"[^\"]+\".*\\}", Pattern.DOTALL);

    private final PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
    private final UUID connectorId = UUID.randomUUID();
    private final ScheduledExecutorService control = Executors.newSingleThreadScheduledExecutor();
    private volatile boolean json;
    private volatile int connections;
    private volatile boolean ignoreSigterm;
    private int linesDone;

    public static void main(String[] args) throws IOException {
        new FakeCloudflared().run(args);
    }

    private void run(String[] args) throws IOException {
        if (args.length == 0 || !args[0].equals("tunnel")) {
            usageError("expected the tunnel command");
            return;
        }
        String metrics = null;
        String gracePeriod = null;
        int runAt = -1;
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("run")) {
                runAt = i;
                break;
            }
            if (!arg.startsWith("--")) {
                usageError("unknown command " + arg);
                return;
            }
            String name = arg.substring(2);
            String value = null;
            int equals = name.indexOf('=');
            if (equals >= 0) {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            }
            if (BOOLEAN_FLAGS.contains(name)) {
                continue;
            }
            if (!VALUE_FLAGS.contains(name)) {
                usageError("flag provided but not defined: -" + name);
                return;
            }
            if (value == null) {
                if (++i == args.length) {
                    usageError("flag needs an argument: -" + name);
                    return;
                }
                value = args[i];
            }
            switch (name) {
                case "metrics" -> metrics = value;
                case "grace-period" -> gracePeriod = value;
                case "output" -> json = value.equals("json");
                default -> {
                }
            }
        }
        if (runAt < 0) {
            usageError("no run command");
            return;
        }
        if (runAt != args.length - 1) {
            // The real one's trap: options after run are a usage error with exit code 0.
            usageError("flags must come before run");
            return;
        }
        if (gracePeriod != null && !GO_DURATION.matcher(gracePeriod).matches()) {
            // cloudflared exits 0 without a word on a duration it cannot parse.
            System.exit(0);
        }
        String token = System.getenv("TUNNEL_TOKEN");
        if (token == null || !validToken(token)) {
            err.println("Provided Tunnel token is not valid.");
            System.exit(255);
        }
        installSignals();
        HttpServer server;
        try {
            server = HttpServer.create(address(metrics), 8);
        } catch (IOException | RuntimeException e) {
            log("ERR", "Error opening metrics server listener error=\"listen tcp " + metrics
                    + ": bind: address already in use\"");
            System.exit(1);
            return;
        }
        server.createContext("/ready", this::ready);
        server.createContext("/healthcheck", exchange -> respond(exchange, 200, "OK\n"));
        server.createContext("/metrics", exchange -> respond(exchange, 200,
                "cloudflared_tunnel_ha_connections " + connections + "\n"));
        server.start();
        log("INF", "Starting tunnel tunnelID=" + tunnelId(token));
        log("INF", "Version 2026.11.0 (Checksum fake)");
        log("INF", "Starting metrics server on " + metrics + "/metrics");
        String file = System.getenv(CONTROL_ENV);
        if (file != null) {
            control.scheduleWithFixedDelay(() -> follow(Path.of(file)), 0, 10, TimeUnit.MILLISECONDS);
        }
    }

    private void follow(Path file) {
        try {
            if (!Files.exists(file)) {
                return;
            }
            List<String> lines = Files.readAllLines(file);
            for (; linesDone < lines.size(); linesDone++) {
                String line = lines.get(linesDone).strip();
                if (line.startsWith("once ")) {
                    try {
                        Files.createFile(file.resolveSibling(file.getFileName() + ".done." + linesDone));
                    } catch (FileAlreadyExistsException e) {
                        continue;
                    }
                    line = line.substring(5);
                }
                execute(line);
            }
        } catch (IOException | RuntimeException e) {
            log("ERR", "fake control failed: " + e);
        }
    }

    private void execute(String command) {
        String[] words = command.split(" ", 2);
        String argument = words.length > 1 ? words[1] : "";
        switch (words[0]) {
            case "ready" -> {
                int count = argument.isEmpty() ? 4 : Integer.parseInt(argument);
                for (int i = 0; i < count; i++) {
                    log("INF", "Registered tunnel connection connIndex=" + i + " connection=" + UUID.randomUUID()
                            + " event=0 ip=198.41.200.13 location=ams0" + (i + 1) + " protocol=quic");
                }
                connections = count;
            }
            case "lose" -> {
                connections = 0;
                log("WRN", "Connection terminated error=\"timeout: no recent network activity\" connIndex=0");
                log("ERR", "Lost connection with the edge connIndex=0");
                log("INF", "Retrying connection in up to 2s connIndex=0");
            }
            case "exit" -> {
                log("ERR", "exiting with code " + argument + " as told");
                System.exit(Integer.parseInt(argument));
            }
            case "say" -> err.println(argument);
            case "log" -> {
                String[] levelAndText = argument.split(" ", 2);
                log(levelAndText[0], levelAndText.length > 1 ? levelAndText[1] : "");
            }
            case "flood" -> {
                String filler = "x".repeat(200);
                for (int i = 0; i < Integer.parseInt(argument); i++) {
                    log("INF", "flood line " + i + " " + filler);
                }
                log("INF", "flood done");
            }
            case "ignore-sigterm" -> ignoreSigterm = true;
            default -> log("ERR", "fake: unknown control command " + command);
        }
    }

    private void installSignals() {
        Signal.handle(new Signal("TERM"), signal -> {
            if (ignoreSigterm) {
                log("WRN", "ignoring SIGTERM, as told");
                return;
            }
            connections = 0;
            log("INF", "Initiating graceful shutdown due to signal terminated ...");
            log("INF", "Tunnel server stopped");
            System.exit(0);
        });
    }

    private void ready(HttpExchange exchange) throws IOException {
        int count = connections;
        int status = count > 0 ? 200 : 503;
        respond(exchange, status, "{\"status\":" + status + ",\"readyConnections\":" + count + ",\"connectorId\":\""
                + connectorId + "\"}");
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private void log(String level, String message) {
        String time = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        if (json) {
            err.println("{\"level\":\"" + jsonLevel(level) + "\",\"time\":\"" + time + "\",\"message\":\""
                    + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
        } else {
            err.println(time + " " + level + " " + message);
        }
    }

    private static String jsonLevel(String level) {
        return switch (level) {
            case "DBG" -> "debug";
            case "WRN" -> "warn";
            case "ERR" -> "error";
            default -> "info";
        };
    }

    private void usageError(String why) {
        err.println("Incorrect Usage: " + why);
        System.exit(0);
    }

    private static boolean validToken(String token) {
        if (token.length() % 4 != 0) {
            return false;
        }
        try {
            String payload = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
            return TOKEN_JSON.matcher(payload).matches() && payload.contains("\"t\"") && payload.contains("\"s\"");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String tunnelId(String token) {
        String payload = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
        Matcher matcher = Pattern.compile("\"t\"\\s*:\\s*\"([^\"]+)\"").matcher(payload);
        return matcher.find() ? matcher.group(1) : "";
    }

    private static InetSocketAddress address(String metrics) {
        int colon = metrics.lastIndexOf(':');
        String host = metrics.substring(0, colon).replace("[", "").replace("]", "");
        return new InetSocketAddress(host, Integer.parseInt(metrics.substring(colon + 1)));
    }
}
