package dev.plexgate.agent;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * Asks cloudflared's metrics listener whether the tunnel is up: {@code GET /ready} answers 200
 * when at least one edge connection is registered, 503 otherwise, with a body such as
 * {@code {"status":503,"readyConnections":0,"connectorId":"<uuid>"}} (DESIGN §6). Not
 * {@code cloudflared_tunnel_ha_connections} from {@code /metrics}: that counts attempts.
 */
final class ReadinessProbe {

    /**
     * One answer.
     *
     * @param reachable        whether {@code /ready} answered at all
     * @param status           its HTTP status; 0 when unreachable
     * @param readyConnections from the body; 0 when absent
     * @param connectorId      from the body; null when absent
     */
    record Readiness(boolean reachable, int status, int readyConnections, UUID connectorId) {

        static final Readiness UNREACHABLE = new Readiness(false, 0, 0, null);

        boolean ready() {
            return status == 200 && readyConnections >= 1;
        }
    }

    private final HttpClient client;
    private final URI ready;
    private final Duration timeout;

    /** {@code client}: from {@link #client(Duration)}, shared by every child's probe. */
    ReadinessProbe(HttpClient client, String metricsAddress, Duration timeout) {
        this.client = client;
        this.ready = URI.create("http://" + metricsAddress + "/ready");
        this.timeout = timeout;
    }

    /**
     * A client for probes. One per agent, not per child: a JDK client keeps a selector thread until
     * it is collected, and a crash loop starts many children.
     */
    static HttpClient client(Duration connectTimeout) {
        return HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                // Loopback, straight to cloudflared: never through a proxy from the environment.
                .proxy(HttpClient.Builder.NO_PROXY)
                .build();
    }

    /** Never throws: anything but an answer is {@link Readiness#UNREACHABLE}. */
    Readiness check() {
        HttpResponse<String> response;
        try {
            response = client.send(HttpRequest.newBuilder(ready).timeout(timeout).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return Readiness.UNREACHABLE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Readiness.UNREACHABLE;
        }
        return parse(response.statusCode(), response.body());
    }

    static Readiness parse(int status, String body) {
        int connections = 0;
        UUID connectorId = null;
        try {
            Map<String, String> members = FlatJson.parse(body);
            connections = Integer.parseInt(members.getOrDefault("readyConnections", "0"));
            String connector = members.get("connectorId");
            connectorId = connector == null ? null : UUID.fromString(connector);
        } catch (IllegalArgumentException e) {
            // A body cloudflared did not write: the status alone says ready (200) or not.
            connections = status == 200 ? 1 : 0;
            connectorId = null;
        }
        return new Readiness(true, status, connections, connectorId);
    }
}
