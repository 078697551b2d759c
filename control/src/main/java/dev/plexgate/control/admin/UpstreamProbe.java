package dev.plexgate.control.admin;

import dev.plexgate.proxy.upstream.UpstreamAddress;
import dev.plexgate.proxy.upstream.UpstreamGet;
import dev.plexgate.proxy.upstream.UpstreamGetException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks Plex for {@code /identity} (it needs no token) at start and then on an interval:
 * {@code plexgate_upstream_up}, {@code /ready} and the upstream part of {@code /status}. The
 * upstream is read at each probe, so a reload that moves it is followed. An {@code https://}
 * upstream is verified as the proxy verifies it ({@code upstream_tls}), so a certificate the proxy
 * would refuse makes Plex unreachable here too.
 */
public final class UpstreamProbe implements AutoCloseable {

    /** Often enough for a health check to notice, rarely enough to be nothing for Plex. */
    public static final Duration INTERVAL = Duration.ofSeconds(15);

    private static final Logger log = LoggerFactory.getLogger(UpstreamProbe.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Pattern MEDIA_CONTAINER = Pattern.compile("<MediaContainer\\b([^>]*)>");
    private static final Pattern ATTRIBUTE = Pattern.compile("([A-Za-z]+)=\"([^\"]*)\"");

    private final Supplier<UpstreamAddress> upstream;
    private final Duration interval;
    private final UpstreamGet http = new UpstreamGet(TIMEOUT, "plexgate-upstream-probe-io");
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "plexgate-upstream-probe");
        thread.setDaemon(true);
        return thread;
    });
    private volatile UpstreamHealth last = UpstreamHealth.NOT_PROBED;

    public UpstreamProbe(Supplier<UpstreamAddress> upstream, Duration interval, MeterRegistry meters) {
        this.upstream = upstream;
        this.interval = interval;
        Gauge.builder("plexgate.upstream.up", this, probe -> probe.last.reachable() ? 1 : 0)
                .description("1 when Plex answered the last GET /identity")
                .register(meters);
    }

    /** Probes now, then every interval. */
    public void start() {
        scheduler.scheduleWithFixedDelay(this::probe, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    public UpstreamHealth last() {
        return last;
    }

    void probe() {
        UpstreamHealth previous = last;
        last = identity(upstream.get());
        // Changes only: a Plex that stays down is one warning, not one every interval.
        boolean wasUp = previous.reachable() || previous.checked() == null;
        if (wasUp && !last.reachable()) {
            log.warn("Plex does not answer /identity on {}: {}", upstream.get(), last.problem());
        } else if (!previous.reachable() && previous.checked() != null && last.reachable()) {
            log.info("Plex answers /identity on {} again", upstream.get());
        }
    }

    private UpstreamHealth identity(UpstreamAddress address) {
        Instant now = Instant.now();
        try {
            UpstreamGet.Response response = http.get(address, "/identity", Map.of("Accept", "application/xml"));
            if (response.status() != 200) {
                return new UpstreamHealth(false, now, null, null, "HTTP " + response.status());
            }
            Map<String, String> attributes = mediaContainer(response.body());
            return new UpstreamHealth(true, now, attributes.get("version"), attributes.get("machineIdentifier"), null);
        } catch (UpstreamGetException e) {
            return new UpstreamHealth(false, now, null, null, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return last;
        }
    }

    /** The attributes of the first {@code <MediaContainer ...>}; empty when there is none. */
    static Map<String, String> mediaContainer(String xml) {
        Map<String, String> attributes = new HashMap<>();
        Matcher element = MEDIA_CONTAINER.matcher(xml);
        if (element.find()) {
            Matcher attribute = ATTRIBUTE.matcher(element.group(1));
            while (attribute.find()) {
                attributes.put(attribute.group(1), attribute.group(2));
            }
        }
        return attributes;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        http.close();
    }
}
