package dev.plexgate.control.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin listener, on the JDK's HTTP server: a handful of requests a minute from Prometheus, a
 * health check and an operator need no more.
 *
 * <pre>
 * GET  /metrics  Prometheus text format
 * GET  /status   JSON: version, uptime, config and its last reload, listener, upstream, tunnel, requests
 * GET  /ready    200 when the proxy listens and Plex answered the last probe, else 503
 * POST /reload   the config on disk, as SIGHUP: 200 with the summary, or 409 with the errors
 * </pre>
 */
public final class AdminServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String PLAIN_TEXT = "text/plain; charset=utf-8";
    private static final String JSON = "application/json";

    private final HttpServer server;
    private final ExecutorService executor;
    private final ScheduledExecutorService sampler;
    private final AtomicBoolean closed = new AtomicBoolean();

    private AdminServer(HttpServer server, ExecutorService executor, ScheduledExecutorService sampler) {
        this.server = server;
        this.executor = executor;
        this.sampler = sampler;
    }

    /**
     * Binds {@code address} and serves.
     *
     * @throws IOException when the address cannot be bound
     */
    public static AdminServer start(InetSocketAddress address, RunningService service,
            PrometheusMeterRegistry prometheus, UpstreamProbe upstream) throws IOException {
        HttpServer server = HttpServer.create(address, 0);
        AtomicInteger threads = new AtomicInteger();
        // Two threads: a slow reload (host names to resolve) does not hold up a scrape.
        ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "plexgate-admin-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        ClientTrafficWindow traffic = new ClientTrafficWindow(service.meters());
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "plexgate-admin-traffic");
            thread.setDaemon(true);
            return thread;
        });
        sampler.scheduleAtFixedRate(() -> traffic.sample(Instant.now()), 0, ClientTrafficWindow.STEP.toSeconds(),
                TimeUnit.SECONDS);
        server.createContext("/", exchange -> handle(exchange, service, prometheus, upstream, traffic));
        server.start();
        return new AdminServer(server, executor, sampler);
    }

    /** The bound address (the real port when asked for port 0). */
    public InetSocketAddress localAddress() {
        return server.getAddress();
    }

    private static void handle(HttpExchange exchange, RunningService service, PrometheusMeterRegistry prometheus,
            UpstreamProbe upstream, ClientTrafficWindow traffic) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            String allowed = switch (path) {
                case "/metrics", "/status", "/ready" -> "GET";
                case "/reload" -> "POST";
                default -> null;
            };
            if (allowed == null) {
                send(exchange, 404, PLAIN_TEXT, "no such endpoint: /metrics, /status, /ready or /reload\n");
            } else if (!allowed.equals(method)) {
                exchange.getResponseHeaders().set("Allow", allowed);
                send(exchange, 405, PLAIN_TEXT, path + " answers " + allowed + " only\n");
            } else {
                switch (path) {
                    case "/metrics" -> send(exchange, 200, PROMETHEUS_TEXT, prometheus.scrape());
                    case "/status" -> send(exchange, 200, JSON,
                            StatusDocument.write(service, upstream.last(), traffic, Instant.now()));
                    case "/ready" -> ready(exchange, service, upstream.last());
                    default -> reload(exchange, service);
                }
            }
        } catch (IOException | RuntimeException e) {
            log.warn("admin: {} {} failed: {}", exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    e.toString());
            throw e;
        }
    }

    private static void ready(HttpExchange exchange, RunningService service, UpstreamHealth upstream)
            throws IOException {
        if (!service.proxy().listening()) {
            send(exchange, 503, PLAIN_TEXT, "not ready: the proxy is not listening\n");
        } else if (!upstream.reachable()) {
            send(exchange, 503, PLAIN_TEXT, "not ready: Plex does not answer /identity (" + upstream.problem() + ")\n");
        } else {
            send(exchange, 200, PLAIN_TEXT, "ready\n");
        }
    }

    private static void reload(HttpExchange exchange, RunningService service) throws IOException {
        exchange.getRequestBody().readAllBytes();
        ReloadReport outcome = service.reload("POST /reload");
        // 409: the request was fine, the config on disk conflicts with what can run.
        send(exchange, outcome.applied() ? 200 : 409, PLAIN_TEXT, outcome.message() + "\n");
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Stops listening and closes its connections; nothing it answers needs to finish. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.stop(0);
        executor.shutdownNow();
        sampler.shutdownNow();
    }
}
