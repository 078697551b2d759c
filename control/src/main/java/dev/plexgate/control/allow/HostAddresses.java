package dev.plexgate.control.allow;

import dev.plexgate.proxy.policy.lists.HostResolver;
import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Resolves host names side by side, each given a bounded wait, for {@code plexgate allow list}. */
public final class HostAddresses {

    /** A name whose DNS does not answer by then is shown as such rather than holding up the listing. */
    public static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final HostResolver resolver;
    private final Duration timeout;

    public HostAddresses(HostResolver resolver, Duration timeout) {
        this.resolver = resolver;
        this.timeout = timeout;
    }

    /** What each name resolves to now, in the order given. */
    public Map<String, Resolution> resolve(List<String> hostNames) throws InterruptedException {
        Map<String, Resolution> resolutions = new LinkedHashMap<>();
        if (hostNames.isEmpty()) {
            return resolutions;
        }
        // Daemon threads: a resolver call cannot be interrupted, and must not keep the command alive.
        ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "plexgate-allow-dns");
            thread.setDaemon(true);
            return thread;
        });
        try {
            Map<String, Future<List<InetAddress>>> pending = new LinkedHashMap<>();
            for (String hostName : hostNames) {
                pending.putIfAbsent(hostName, executor.submit(() -> resolver.resolve(hostName)));
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            for (Map.Entry<String, Future<List<InetAddress>>> entry : pending.entrySet()) {
                resolutions.put(entry.getKey(), await(entry.getValue(), deadline));
            }
            return resolutions;
        } finally {
            executor.shutdownNow();
        }
    }

    /** All names started together, so each had the whole timeout by the shared deadline. */
    private Resolution await(Future<List<InetAddress>> future, long deadline) throws InterruptedException {
        try {
            return new Resolution(future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
                    .stream().map(InetAddress::getHostAddress).toList(), null);
        } catch (TimeoutException e) {
            return new Resolution(List.of(), "no answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            return new Resolution(List.of(), "does not resolve");
        }
    }

    /**
     * @param addresses the current addresses, empty when the name does not resolve
     * @param problem   why there are none, or null
     */
    public record Resolution(List<String> addresses, String problem) {

        public Resolution {
            addresses = List.copyOf(addresses);
        }
    }
}
