package dev.plexgate.control.admin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The clients that received the most bytes in the last hour, for {@code /status}. The proxy only
 * keeps running totals ({@code plexgate_client_sent_bytes_total{client}}); this keeps a sample of
 * them a minute, an hour deep, and answers with the difference between now and an hour ago (or
 * the start, in the first hour). Memory: 61 samples of at most one number per allow-list name.
 */
final class ClientTrafficWindow {

    static final Duration WINDOW = Duration.ofHours(1);
    static final Duration STEP = Duration.ofMinutes(1);
    private static final String METER = "plexgate.client.sent";

    /** One client's bytes in the window. */
    record ClientBytes(String client, long bytes) {
    }

    private record Sample(Instant at, Map<String, Double> totals) {
    }

    private final MeterRegistry meters;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();

    ClientTrafficWindow(MeterRegistry meters) {
        this.meters = meters;
    }

    /** Takes a sample when the last one is a step old; drops those the window no longer needs. */
    synchronized void sample(Instant now) {
        Sample last = samples.peekLast();
        if (last != null && Duration.between(last.at(), now).compareTo(STEP) < 0) {
            return;
        }
        samples.addLast(new Sample(now, totals()));
        // Keep the newest sample that is at least a window old: it is where "an hour ago" reads.
        while (samples.size() > 1) {
            Sample second = samples.stream().skip(1).findFirst().orElseThrow();
            if (Duration.between(second.at(), now).compareTo(WINDOW) >= 0) {
                samples.removeFirst();
            } else {
                break;
            }
        }
    }

    /** The {@code limit} clients with the most bytes since about an hour ago, most first. */
    synchronized List<ClientBytes> top(int limit, Instant now) {
        sample(now);
        Map<String, Double> then = samples.isEmpty() ? Map.of() : samples.peekFirst().totals();
        List<ClientBytes> top = new ArrayList<>();
        totals().forEach((client, total) -> {
            long bytes = (long) (total - then.getOrDefault(client, 0.0));
            if (bytes > 0) {
                top.add(new ClientBytes(client, bytes));
            }
        });
        top.sort(Comparator.comparingLong(ClientBytes::bytes).reversed().thenComparing(ClientBytes::client));
        return top.size() > limit ? top.subList(0, limit) : top;
    }

    private Map<String, Double> totals() {
        Map<String, Double> totals = new HashMap<>();
        for (Counter counter : meters.find(METER).counters()) {
            totals.merge(counter.getId().getTag("client"), counter.count(), Double::sum);
        }
        return totals;
    }
}
