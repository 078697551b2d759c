package dev.plexgate.control.allow;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bytes sent to each allow-list name since the running service started, read from
 * {@code plexgate_client_sent_bytes_total{client}} on its {@code /metrics}.
 */
public final class ClientTraffic {

    /** On loopback a running service answers at once; longer means it is stuck or not plexgate. */
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(2);

    private static final Pattern SAMPLE = Pattern.compile("^plexgate_client_sent_bytes_total\\{([^}]*)}\\s+(\\S+)");
    private static final Pattern CLIENT_LABEL = Pattern.compile("(?:^|,)client=\"([^\"]*)\"");

    private final Map<String, Long> sentByName;

    private ClientTraffic(Map<String, Long> sentByName) {
        this.sentByName = Map.copyOf(sentByName);
    }

    /** The running service's counts, or empty when none answers: then there is nothing to show. */
    public static Optional<ClientTraffic> scrape(URI admin) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(ADMIN_TIMEOUT).build();
        HttpRequest request = HttpRequest.newBuilder(admin.resolve("/metrics"))
                .timeout(ADMIN_TIMEOUT)
                .GET()
                .build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(parse(response.body())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Reads the counter's samples from Prometheus text; every other line is ignored. */
    static ClientTraffic parse(String prometheusText) {
        Map<String, Long> sent = new HashMap<>();
        for (String line : prometheusText.split("\n")) {
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.find()) {
                continue;
            }
            Matcher client = CLIENT_LABEL.matcher(sample.group(1));
            if (client.find()) {
                try {
                    sent.merge(client.group(1), (long) Double.parseDouble(sample.group(2)), Long::sum);
                } catch (NumberFormatException notANumber) {
                    // NaN or a malformed value counts as nothing rather than failing the listing.
                }
            }
        }
        return new ClientTraffic(sent);
    }

    /** Bytes sent to clients named {@code name}; a name without a counter has had no response since the start. */
    public long sentTo(String name) {
        return sentByName.getOrDefault(name, 0L);
    }

    /**
     * {@code 0 B}, {@code 512 B}, {@code 3.4 MB}, {@code 1.3 GB}: decimal units, as players show
     * bitrates; {@code allow list} and {@code status} both print bytes this way.
     */
    public static String humanBytes(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB", "PB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1000 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
