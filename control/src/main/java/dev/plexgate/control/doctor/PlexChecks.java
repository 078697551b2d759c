package dev.plexgate.control.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plexgate.proxy.upstream.UpstreamAddress;
import dev.plexgate.proxy.upstream.UpstreamGet;
import dev.plexgate.proxy.upstream.UpstreamGetException;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plex on the upstream: does it answer, and are its network settings those plexgate needs (DESIGN
 * §10)? An {@code https://} upstream is asked exactly as the proxy asks it, {@code upstream_tls}
 * and all, so an answer here means the proxy's connections are verified the same way.
 */
final class PlexChecks {

    private static final Pattern MEDIA_CONTAINER = Pattern.compile("<MediaContainer\\b([^>]*)>");
    private static final Pattern ATTRIBUTE = Pattern.compile("([A-Za-z]+)=\"([^\"]*)\"");
    private static final Pattern HTTPS_URL = Pattern.compile("https://([^/:\\s]+)(:\\d+)?(/.*)?");
    private static final String NETWORK_SETTINGS = "Plex Web > Settings > Network (show advanced)";
    private static final String SECURE_CONNECTIONS_PREFERRED = "1";

    private final UpstreamAddress upstream;
    private final UpstreamGet http;
    private final Consumer<Finding> report;

    PlexChecks(UpstreamAddress upstream, UpstreamGet http, Consumer<Finding> report) {
        this.upstream = upstream;
        this.http = http;
        this.report = report;
    }

    /** {@code upstream_tls.insecure_skip_verify}: allowed, as a test bench needs it, but never fine. */
    void verification() {
        if (upstream.secure() && upstream.tls().insecureSkipVerify()) {
            report.accept(Finding.warn("upstream_tls.insecure_skip_verify: true, so plexgate takes any certificate"
                    + " from " + upstream + ": whoever gets between plexgate and Plex can read and change the"
                    + " traffic, Plex tokens included",
                    "remove insecure_skip_verify and set upstream_tls.server_name to a name Plex's certificate covers"
                            + " (openssl s_client -connect " + upstream.authority() + " </dev/null shows it: for"
                            + " *.<hash>.plex.direct, " + plexDirectExample() + "), and upstream_tls.ca unless a"
                            + " public CA issued it"));
        }
    }

    /** {@code GET /identity}, which needs no token; true when Plex answered. */
    boolean identity() throws InterruptedException {
        String url = upstream + "/identity";
        UpstreamGet.Response answer;
        try {
            answer = http.get(upstream, "/identity", Map.of());
        } catch (UpstreamGetException e) {
            report.accept(Finding.fail("Plex does not answer " + url + ": " + e.getMessage(), e.tlsFailure()
                    ? "check upstream_tls in plexgate.yml: server_name must be a name Plex's certificate covers"
                            + " (openssl s_client -connect " + upstream.authority() + " </dev/null shows it), ca the"
                            + " CA that issued it (without ca, the JDK's trust store must know that CA)"
                    : "start Plex (systemctl start plexmediaserver), or set upstream: in plexgate.yml to where Plex"
                            + " listens"));
            return false;
        }
        Matcher container = MEDIA_CONTAINER.matcher(answer.body());
        if (answer.status() != 200 || !container.find()) {
            report.accept(Finding.fail("Plex does not answer " + url + ": HTTP " + answer.status()
                    + (answer.status() == 200 ? " without a MediaContainer" : ""),
                    "start Plex (systemctl start plexmediaserver), or set upstream: in plexgate.yml to where Plex"
                            + " listens"));
            return false;
        }
        Map<String, String> attributes = new HashMap<>();
        Matcher attribute = ATTRIBUTE.matcher(container.group(1));
        while (attribute.find()) {
            attributes.put(attribute.group(1), attribute.group(2));
        }
        report.accept(Finding.ok("Plex " + attributes.getOrDefault("version", "?") + " answers on " + upstream
                + " (machine " + attributes.getOrDefault("machineIdentifier", "?") + ")" + verified()));
        return true;
    }

    /** How the answer came: nothing for plain HTTP, which has nothing to verify. */
    private String verified() {
        if (!upstream.secure()) {
            return "";
        }
        if (upstream.tls().insecureSkipVerify()) {
            return ", its certificate not verified";
        }
        return ", its certificate verified for " + upstream.tls().serverNameFor(upstream.host()) + " against "
                + (upstream.tls().trustedCertificates().isEmpty() ? "the JDK's trust store" : "upstream_tls.ca");
    }

    /** {@code 192-168-1-10.<hash>.plex.direct}: Plex's name for the upstream's address, when it is one. */
    private String plexDirectExample() {
        return (upstream.host().matches("[0-9.]+") ? upstream.host().replace('.', '-') : "192-168-1-10")
                + ".<hash>.plex.direct";
    }

    /** {@code GET /:/prefs} with the token, then one finding per setting that matters. */
    void preferences(PlexToken token) throws InterruptedException {
        String url = upstream + "/:/prefs";
        Map<String, JsonNode> settings;
        try {
            UpstreamGet.Response answer = http.get(upstream, "/:/prefs",
                    Map.of("X-Plex-Token", token.value(), "Accept", "application/json"));
            if (answer.status() == 401) {
                report.accept(Finding.fail("Plex refused the token from " + token.source() + " (HTTP 401)",
                        "give --plex-token-file with the server owner's X-Plex-Token"));
                return;
            }
            settings = settings(answer);
        } catch (IOException e) {
            report.accept(Finding.fail("Plex's settings could not be read from " + url + ": " + e.getMessage(),
                    "check that " + upstream + " is Plex Media Server"));
            return;
        }
        secureConnections(settings.get("secureConnections"));
        relay(settings.get("RelayEnabled"));
        customConnections(text(settings.get("customConnections")));
        networks(text(settings.get("allowedNetworks")));
        lanNetworks(text(settings.get("LanNetworksBandwidth")));
    }

    /** {@code {"MediaContainer":{"Setting":[{"id":"secureConnections","value":1},...]}}}, by id. */
    private static Map<String, JsonNode> settings(UpstreamGet.Response answer) throws IOException {
        if (answer.status() != 200) {
            throw new IOException("HTTP " + answer.status());
        }
        JsonNode list = new ObjectMapper().readTree(answer.body()).path("MediaContainer").path("Setting");
        if (!list.isArray()) {
            throw new IOException("no MediaContainer.Setting in the answer");
        }
        Map<String, JsonNode> settings = new HashMap<>();
        list.forEach(setting -> settings.put(setting.path("id").asText(), setting.path("value")));
        return settings;
    }

    private void secureConnections(JsonNode value) {
        String choice = text(value);
        if (choice.equals(SECURE_CONNECTIONS_PREFERRED)) {
            report.accept(Finding.ok("Plex secure connections: Preferred"));
            return;
        }
        String name = switch (choice) {
            case "0" -> "Required";
            case "2" -> "Disabled";
            default -> "'" + choice + "'";
        };
        report.accept(Finding.warn("Plex secure connections: " + name + " (the reference setup needs Preferred)",
                NETWORK_SETTINGS + " > Secure connections: Preferred"));
    }

    private void relay(JsonNode value) {
        if (value == null || !(value.asBoolean() || text(value).equals("1"))) {
            report.accept(Finding.ok("Plex relay: disabled"));
            return;
        }
        // Relayed streams leave Plex through Plex's relay servers, never through the tunnel and its rules.
        report.accept(Finding.warn("Plex relay: enabled, so clients can reach Plex around plexgate and its"
                + " allow-list", NETWORK_SETTINGS + " > Enable Relay: off"));
    }

    private void customConnections(String urls) {
        String withPort = null;
        String withoutPort = null;
        for (String url : urls.split(",")) {
            Matcher https = HTTPS_URL.matcher(url.strip());
            if (https.matches()) {
                if (https.group(2) != null) {
                    withPort = withPort == null ? url.strip() : withPort;
                } else {
                    withoutPort = withoutPort == null ? url.strip() : withoutPort;
                }
            }
        }
        if (withPort != null) {
            report.accept(Finding.ok("Plex custom server access URL: " + withPort));
        } else if (withoutPort != null) {
            report.accept(Finding.warn("Plex custom server access URL " + withoutPort + " has no port, so Plex"
                    + " assumes 32400", NETWORK_SETTINGS + " > Custom server access URLs: write it "
                    + withoutPort.replaceFirst("(https://[^/]+)", "$1:443")));
        } else {
            report.accept(Finding.warn("Plex custom server access URLs have no https:// URL, so clients do not"
                    + " find the tunnel's hostname", NETWORK_SETTINGS
                    + " > Custom server access URLs: https://plex.example.com:443 (your tunnel's public hostname)"));
        }
    }

    private void networks(String list) {
        List<String> open = NetworkList.coveringLoopback(list);
        if (open.isEmpty()) {
            report.accept(Finding.ok("Plex networks allowed without auth: none covers loopback"));
            return;
        }
        report.accept(Finding.fail("Plex allows " + String.join(", ", open) + " without auth: behind plexgate"
                + " every request comes from loopback, so the whole internet gets in without a password",
                NETWORK_SETTINGS + " > List of IP addresses and networks that are allowed without auth: remove "
                        + String.join(", ", open)));
    }

    private void lanNetworks(String list) {
        List<String> wide = NetworkList.coveringLoopback(list);
        if (wide.isEmpty()) {
            report.accept(Finding.ok("Plex LAN networks: none covers loopback"));
            return;
        }
        report.accept(Finding.warn("Plex LAN networks include " + String.join(", ", wide) + ": every tunnel"
                + " client gets LAN bandwidth", NETWORK_SETTINGS + " > LAN Networks: remove " + String.join(", ", wide)));
    }

    private static String text(JsonNode value) {
        return value == null || value.isNull() ? "" : value.asText();
    }
}
