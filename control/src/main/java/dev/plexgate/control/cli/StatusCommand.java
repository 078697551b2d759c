package dev.plexgate.control.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plexgate.control.allow.ClientTraffic;
import dev.plexgate.control.config.ConfigException;
import dev.plexgate.control.config.ConfigLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code plexgate status}: what the running service's {@code GET /status} says, for a person or a script. */
@Command(name = "status",
        header = "Show the running service: listeners, upstream, tunnel, last reload and request counts.",
        description = "Asks the running plexgate on its admin listener (admin.listen in plexgate.yml, by default"
                + " 127.0.0.1:9810) for GET /status and prints a summary, or the JSON itself with --json.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            " 0:plexgate is running; its status was printed",
            " 1:plexgate is not running, or its admin listener did not answer",
            " 2:invalid configuration or command line"})
final class StatusCommand implements Callable<Integer> {

    private static final int NOT_RUNNING = 1;
    /** On loopback a running service answers at once; longer means it is stuck. */
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    private boolean help;

    @Mixin
    private ConfigOption config;

    @Option(names = "--json", description = "Print the JSON of GET /status as the service sends it.")
    private boolean json;

    @Override
    public Integer call() throws ConfigException, InterruptedException {
        URI status = ConfigLoader.loadAdmin(config.file()).uri().resolve("/status");
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        HttpResponse<String> response;
        try {
            response = client.send(HttpRequest.newBuilder(status).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            err.println("plexgate is not running (nothing answers on " + status + ")");
            err.flush();
            return NOT_RUNNING;
        } catch (HttpTimeoutException e) {
            err.println("plexgate: no answer from " + status + " within " + TIMEOUT.toSeconds() + "s");
            err.flush();
            return NOT_RUNNING;
        } catch (IOException e) {
            err.println("plexgate: cannot ask " + status + ": " + e);
            err.flush();
            return NOT_RUNNING;
        }
        if (response.statusCode() != 200) {
            err.println("plexgate: " + status + " answered HTTP " + response.statusCode() + " (is it plexgate?)");
            err.flush();
            return NOT_RUNNING;
        }
        if (json) {
            out.print(response.body().endsWith("\n") ? response.body() : response.body() + System.lineSeparator());
        } else {
            try {
                summary(new ObjectMapper().readTree(response.body())).forEach(out::println);
            } catch (IOException e) {
                err.println("plexgate: " + status + " did not answer JSON (is it plexgate?)");
                err.flush();
                return NOT_RUNNING;
            }
        }
        out.flush();
        return 0;
    }

    /** One line per part, labels aligned; a failed reload's errors follow it, indented. */
    static List<String> summary(JsonNode status) {
        List<String> lines = new ArrayList<>();
        lines.add("plexgate " + status.path("version").asText() + ", up " + duration(status.path("uptime_seconds")
                .asLong()) + " (since " + status.path("started").asText() + ")");
        JsonNode listener = status.path("listener");
        lines.add(line("listener", listener.path("address").asText() + " (" + listener.path("transport").asText()
                + "), " + listener.path("open_connections").asInt() + " connections open"
                + (listener.path("listening").asBoolean() ? "" : ", NOT LISTENING")));
        JsonNode tls = status.path("tls");
        if (tls.isObject()) {
            lines.add(line("tls", tls.path("address").asText() + " (" + tls.path("engine").asText() + "), "
                    + tls.path("subject").asText() + " until " + tls.path("not_after").asText()
                    + (tls.path("expiring_soon").asBoolean()
                            ? ", EXPIRES SOON (" + days(tls.path("days_left").asLong())
                                    + " left): plexgate tls renew, or replace the files"
                            : " (" + days(tls.path("days_left").asLong()) + " left)")
                    + (tls.path("client_certificates_required").asBoolean() ? ", client certificates required" : "")));
        }
        JsonNode upstream = status.path("upstream");
        lines.add(line("upstream", upstream.path("address").asText() + ": " + (upstream.path("reachable").asBoolean()
                ? "Plex " + upstream.path("plex_version").asText("?") + ", machine "
                        + upstream.path("machine_id").asText("?")
                : "NOT REACHABLE (" + upstream.path("problem").asText() + ")")));
        JsonNode tunnel = status.path("tunnel");
        String state = tunnel.path("state").asText();
        lines.add(line("tunnel", state.equals("DISABLED") ? "disabled (tunnel.enabled: false)"
                : state.toLowerCase(Locale.ROOT) + " since " + tunnel.path("since").asText() + ", "
                        + tunnel.path("ready_connections").asInt() + " edge connections, "
                        + tunnel.path("restarts").asInt() + " restarts"
                        + (tunnel.path("problem").isTextual() ? "; " + tunnel.path("problem").asText() : "")));
        JsonNode reload = status.path("config").path("last_reload");
        boolean applied = reload.path("result").asText().equals("success");
        lines.add(line("config", status.path("config").path("file").asText() + ", last loaded "
                + reload.path("time").asText() + " (" + reload.path("trigger").asText() + "): "
                + (applied ? "applied" : "REJECTED, the previous config still runs")));
        if (!applied) {
            for (String error : reload.path("error").asText().split("\n")) {
                lines.add("             " + error);
            }
        }
        List<String> counts = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = status.path("requests").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> action = it.next();
            counts.add(action.getKey() + " " + action.getValue().asLong());
        }
        lines.add(line("requests", counts.isEmpty() ? "none yet" : String.join(", ", counts)));
        List<String> clients = new ArrayList<>();
        for (JsonNode client : status.path("top_clients_last_hour")) {
            clients.add(client.path("client").asText() + " " + ClientTraffic.humanBytes(client.path("bytes").asLong()));
        }
        lines.add(line("last hour", clients.isEmpty() ? "no bytes sent" : String.join(", ", clients)));
        return lines;
    }

    private static String days(long count) {
        return count + (count == 1 ? " day" : " days");
    }

    private static String line(String label, String text) {
        return String.format("%-12s %s", label, text);
    }

    /** {@code 3d 4h}, {@code 2h 5m}, {@code 7m 3s}, {@code 12s}: the two largest units. */
    static String duration(long seconds) {
        long days = seconds / 86_400;
        long hours = seconds % 86_400 / 3_600;
        long minutes = seconds % 3_600 / 60;
        long rest = seconds % 60;
        if (days > 0) {
            return days + "d " + hours + "h";
        }
        if (hours > 0) {
            return hours + "h " + minutes + "m";
        }
        return minutes > 0 ? minutes + "m " + rest + "s" : rest + "s";
    }
}
