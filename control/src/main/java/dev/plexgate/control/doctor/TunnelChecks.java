package dev.plexgate.control.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plexgate.agent.TunnelSettings;
import dev.plexgate.proxy.policy.IpLiterals;
import dev.plexgate.proxy.upstream.UpstreamAddress;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** The supervised cloudflared: its binary, its token, its edge connections and the ingress the dashboard gave it. */
final class TunnelChecks {

    private static final Set<PosixFilePermission> OWNER_READ_WRITE =
            Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "::1", "[::1]");
    private static final String DASHBOARD_HOSTNAME =
            "Cloudflare dashboard > Zero Trust > Networks > Tunnels > your tunnel > Public Hostname";

    private final TunnelSettings tunnel;
    private final Path configFile;
    private final InetSocketAddress listen;
    private final UpstreamAddress upstream;
    private final HttpGet http;
    private final Duration timeout;
    private final Consumer<Finding> report;

    TunnelChecks(TunnelSettings tunnel, Path configFile, InetSocketAddress listen, UpstreamAddress upstream,
            HttpGet http, Duration timeout, Consumer<Finding> report) {
        this.tunnel = tunnel;
        this.configFile = configFile;
        this.listen = listen;
        this.upstream = upstream;
        this.http = http;
        this.timeout = timeout;
        this.report = report;
    }

    void run() throws InterruptedException {
        version();
        token();
        if (ready()) {
            ingress();
        }
    }

    /** {@code cloudflared --version}: {@code cloudflared version 2023.7.3 (built 2023-07-25)}. */
    private void version() throws InterruptedException {
        String fix = "install cloudflared (Cloudflare's Debian repository or a release from GitHub), or set"
                + " tunnel.cloudflared to its path";
        Process process;
        try {
            process = new ProcessBuilder(tunnel.cloudflared().toString(), "--version").redirectErrorStream(true).start();
        } catch (IOException e) {
            report.accept(Finding.fail("cloudflared " + tunnel.cloudflared() + " does not start: " + e.getMessage(), fix));
            return;
        }
        try (InputStream output = process.getInputStream()) {
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                report.accept(Finding.fail("cloudflared --version did not finish within " + timeout.toSeconds() + "s",
                        fix));
                return;
            }
            String printed = new String(output.readAllBytes(), StandardCharsets.UTF_8).strip();
            String firstLine = printed.lines().findFirst().orElse("");
            if (process.exitValue() != 0 || !firstLine.startsWith("cloudflared version ")) {
                report.accept(Finding.fail(tunnel.cloudflared() + " --version exited " + process.exitValue()
                        + " and printed '" + firstLine + "': not cloudflared?", fix));
                return;
            }
            report.accept(Finding.ok(firstLine + " at " + tunnel.cloudflared()));
        } catch (IOException e) {
            report.accept(Finding.fail("cloudflared --version: " + e.getMessage(), fix));
        } finally {
            process.destroyForcibly();
        }
    }

    /**
     * Loading the config already read the token and refused a file that group or others can read;
     * what is left to see is a file that others may write, or search, though not read.
     */
    private void token() {
        String tunnelId = "tunnel " + tunnel.token().tunnelId();
        TokenSource source;
        Set<PosixFilePermission> permissions;
        try {
            source = TokenSource.of(configFile);
            if (source.file() == null) {
                report.accept(Finding.ok(tunnelId + ": token from the environment variable " + source.environment()));
                return;
            }
            permissions = Files.getPosixFilePermissions(source.file());
        } catch (IOException e) {
            report.accept(Finding.warn("cannot look at the tunnel token file: " + e.getClass().getSimpleName(),
                    "run plexgate doctor as root or as the user plexgate runs as"));
            return;
        }
        Path file = source.file();
        if (!OWNER_READ_WRITE.containsAll(permissions)) {
            report.accept(Finding.warn(tunnelId + ": token file " + file + " has mode "
                    + PosixFilePermissions.toString(permissions) + ", not rw-------",
                    "chmod 600 " + file + " (only the user plexgate runs as may touch the token)"));
            return;
        }
        report.accept(Finding.ok(tunnelId + ": token file " + file + " (mode 0600)"));
    }

    /** {@code /ready}: 200 once cloudflared has a connection to Cloudflare's edge, 503 before (DESIGN §6). */
    private boolean ready() throws InterruptedException {
        URI uri = metrics("/ready");
        HttpGet.Answer answer = http.get(uri, Map.of());
        if (!answer.answered()) {
            report.accept(Finding.fail("cloudflared does not answer " + uri + ": " + answer.body(),
                    "start plexgate (systemctl start plexgate), which runs cloudflared; if it runs, look at"
                            + " journalctl -u plexgate for cloudflared's errors"));
            return false;
        }
        int connections = readyConnections(answer.body());
        if (answer.status() != 200) {
            report.accept(Finding.fail("cloudflared is not connected to Cloudflare (" + uri + ": HTTP "
                    + answer.status() + ", " + connections + " connections)",
                    "look at journalctl -u plexgate for cloudflared's errors: 'Unauthorized' means a wrong token,"
                            + " repeated retries mean no way out to Cloudflare"));
            return true;
        }
        report.accept(Finding.ok("cloudflared is connected to Cloudflare (" + connections + " connections)"));
        return true;
    }

    /** {@code /config}: the ingress the dashboard pushed, whose service must be plexgate, never Plex. */
    private void ingress() throws InterruptedException {
        URI uri = metrics("/config");
        HttpGet.Answer answer = http.get(uri, Map.of());
        String target = "http://" + authority(listen.getAddress().getHostAddress(), listen.getPort());
        String fix = DASHBOARD_HOSTNAME + ": set the service to " + target;
        JsonNode config;
        try {
            config = new ObjectMapper().readTree(answer.body());
        } catch (IOException e) {
            config = null;
        }
        if (answer.status() != 200 || config == null || !config.has("version")) {
            report.accept(Finding.warn("cloudflared's " + uri + " did not show its configuration (HTTP "
                    + answer.status() + ")", "check that tunnel.metrics is cloudflared's metrics address"));
            return;
        }
        if (config.path("version").asInt() == -1) {
            report.accept(Finding.warn("the tunnel has no public hostname yet (configuration version -1)",
                    DASHBOARD_HOSTNAME + ": add your hostname with the service " + target));
            return;
        }
        boolean throughPlexgate = false;
        for (JsonNode rule : config.path("config").path("ingress")) {
            String hostname = rule.path("hostname").asText("*");
            String service = rule.path("service").asText();
            URI serviceUri = serviceUri(service);
            if (serviceUri == null) {
                continue; // http_status:404 and the like answer at the edge; they reach nothing.
            }
            if (points(serviceUri, upstream.host(), upstream.port())) {
                report.accept(Finding.fail("the tunnel sends " + hostname + " to " + service
                        + ", straight to Plex: no allow-list, no rules", fix));
            } else if (points(serviceUri, listen.getAddress().getHostAddress(), listen.getPort())
                    || listen.getAddress().isAnyLocalAddress() && serviceUri.getPort() == listen.getPort()) {
                throughPlexgate = true;
                report.accept(Finding.ok("the tunnel sends " + hostname + " to plexgate (" + service + ")"));
            } else {
                report.accept(Finding.warn("the tunnel sends " + hostname + " to " + service + ", not through"
                        + " plexgate", fix + ", or remove the hostname if it is not meant for Plex"));
            }
        }
        if (!throughPlexgate) {
            report.accept(Finding.fail("no hostname of the tunnel goes to plexgate (" + target + ")",
                    DASHBOARD_HOSTNAME + ": add your hostname with the service " + target));
        }
    }

    private URI metrics(String path) {
        return URI.create("http://" + tunnel.metricsAddress() + path);
    }

    private static int readyConnections(String body) {
        try {
            return new ObjectMapper().readTree(body).path("readyConnections").asInt();
        } catch (IOException e) {
            return 0;
        }
    }

    /** {@code http://host:port} with the scheme's port filled in; null for what is no HTTP origin. */
    private static URI serviceUri(String service) {
        try {
            URI uri = URI.create(service);
            if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                return null;
            }
            int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
            return new URI(uri.getScheme(), null, uri.getHost(), port, null, null, null);
        } catch (IllegalArgumentException | URISyntaxException e) {
            return null;
        }
    }

    /** True when {@code service} reaches {@code host:port}; the loopback names all mean this machine. */
    private static boolean points(URI service, String host, int port) {
        if (service.getPort() != port) {
            return false;
        }
        String serviceHost = service.getHost();
        return serviceHost.equalsIgnoreCase(host) || loopback(serviceHost) && loopback(host);
    }

    private static boolean loopback(String host) {
        if (LOOPBACK_NAMES.contains(host.toLowerCase(Locale.ROOT))) {
            return true;
        }
        try {
            // Literals only: a name here is looked up by nobody, doctor does no DNS for it.
            return IpLiterals.parse(host.replace("[", "").replace("]", "")).isLoopbackAddress();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String authority(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
