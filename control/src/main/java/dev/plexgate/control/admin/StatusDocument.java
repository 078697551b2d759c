package dev.plexgate.control.admin;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.plexgate.agent.AgentStatus;
import dev.plexgate.control.config.Addresses;
import dev.plexgate.proxy.ProxyServer;
import dev.plexgate.proxy.tls.ServerIdentity;
import dev.plexgate.proxy.tls.TlsEngine;
import dev.plexgate.proxy.tls.TlsListener;
import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON of {@code GET /status}. Written field by field from what is known to be public — no
 * object is serialised whole — so that no token can slip in with a new field: the tunnel's token
 * is never read here, and no request's path or headers are kept.
 */
final class StatusDocument {

    private static final JsonFactory JSON = new JsonFactory();

    private StatusDocument() {
    }

    /** How many clients {@code top_clients_last_hour} lists. */
    static final int TOP_CLIENTS = 5;

    static String write(RunningService service, UpstreamHealth upstream, ClientTrafficWindow traffic, Instant now)
            throws IOException {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(text).useDefaultPrettyPrinter()) {
            json.writeStartObject();
            json.writeStringField("version", service.version());
            json.writeStringField("started", service.started().toString());
            json.writeNumberField("uptime_seconds", Duration.between(service.started(), now).toSeconds());
            config(json, service);
            listener(json, service.proxy());
            tls(json, service.proxy(), now);
            upstream(json, service.proxy(), upstream);
            tunnel(json, service.tunnel());
            json.writeObjectFieldStart("requests");
            for (Map.Entry<String, Long> action : requestsByAction(service).entrySet()) {
                json.writeNumberField(action.getKey(), action.getValue());
            }
            json.writeEndObject();
            // Clients are allow-list names (or unknown), never addresses.
            json.writeArrayFieldStart("top_clients_last_hour");
            for (ClientTrafficWindow.ClientBytes client : traffic.top(TOP_CLIENTS, now)) {
                json.writeStartObject();
                json.writeStringField("client", client.client());
                json.writeNumberField("bytes", client.bytes());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        return text.toString();
    }

    private static void config(JsonGenerator json, RunningService service) throws IOException {
        ReloadReport last = service.lastReload();
        json.writeObjectFieldStart("config");
        json.writeStringField("file", service.configFile().toString());
        json.writeObjectFieldStart("last_reload");
        json.writeStringField("time", last.time().toString());
        json.writeStringField("trigger", last.trigger());
        json.writeStringField("result", last.applied() ? "success" : "failure");
        json.writeStringField("error", last.applied() ? null : last.message());
        json.writeEndObject();
        json.writeEndObject();
    }

    private static void listener(JsonGenerator json, ProxyServer proxy) throws IOException {
        json.writeObjectFieldStart("listener");
        json.writeStringField("address", Addresses.hostAndPort(proxy.localAddress()));
        json.writeBooleanField("listening", proxy.listening());
        json.writeStringField("transport", proxy.transport());
        json.writeNumberField("open_connections", proxy.openConnections());
        json.writeEndObject();
    }

    /** The TLS listener and the certificate it presents now (a reload may have renewed it); absent without one. */
    private static void tls(JsonGenerator json, ProxyServer proxy, Instant now) throws IOException {
        TlsListener tls = proxy.settings().listenTls();
        if (tls == null) {
            return;
        }
        ServerIdentity identity = tls.identity();
        json.writeObjectFieldStart("tls");
        json.writeStringField("address", Addresses.hostAndPort(proxy.tlsAddress()));
        json.writeStringField("engine", TlsEngine.describe());
        json.writeStringField("subject", ServerIdentity.subject(identity.certificate()));
        json.writeStringField("not_after", identity.notAfter().toString());
        json.writeNumberField("days_left", Duration.between(now, identity.notAfter()).toDays());
        json.writeBooleanField("expiring_soon", identity.expiresSoon(now));
        json.writeBooleanField("client_certificates_required", identity.requiresClientCertificate());
        json.writeEndObject();
    }

    private static void upstream(JsonGenerator json, ProxyServer proxy, UpstreamHealth health) throws IOException {
        json.writeObjectFieldStart("upstream");
        json.writeStringField("address", proxy.settings().upstream().toString());
        json.writeBooleanField("reachable", health.reachable());
        json.writeStringField("checked", health.checked() == null ? null : health.checked().toString());
        json.writeStringField("plex_version", health.plexVersion());
        json.writeStringField("machine_id", health.machineId());
        json.writeStringField("problem", health.problem());
        json.writeEndObject();
    }

    private static void tunnel(JsonGenerator json, AgentStatus tunnel) throws IOException {
        json.writeObjectFieldStart("tunnel");
        json.writeStringField("state", tunnel.state().name());
        json.writeStringField("since", tunnel.since().toString());
        json.writeNumberField("restarts", tunnel.restarts());
        if (tunnel.lastExitCode() == null) {
            json.writeNullField("last_exit_code");
        } else {
            json.writeNumberField("last_exit_code", tunnel.lastExitCode());
        }
        json.writeNumberField("ready_connections", tunnel.readyConnections());
        json.writeStringField("connector_id", tunnel.connectorId() == null ? null : tunnel.connectorId().toString());
        json.writeStringField("tunnel_id", tunnel.tunnelId() == null ? null : tunnel.tunnelId().toString());
        json.writeStringField("problem", tunnel.problem());
        json.writeEndObject();
    }

    /** plexgate_requests_total summed over rules: allow, block, skip, log, challenge. */
    private static Map<String, Long> requestsByAction(RunningService service) {
        Map<String, Long> counts = new TreeMap<>();
        for (Counter counter : service.meters().find("plexgate.requests").counters()) {
            counts.merge(counter.getId().getTag("action"), (long) counter.count(), Long::sum);
        }
        return counts;
    }
}
