package dev.plexgate.control.explain;

import dev.plexgate.control.config.ConfigException;
import dev.plexgate.control.config.LoadedPolicy;
import dev.plexgate.control.config.PolicyConfig;
import dev.plexgate.control.config.PolicyLoader;
import dev.plexgate.proxy.policy.BotClassifier;
import dev.plexgate.proxy.policy.lists.HostRefresh;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The policy loaded as {@code plexgate run} loads it, for a command that uses it once ({@code explain},
 * {@code export}): host names are resolved as the service would resolve them, so the answer matches
 * what the running proxy does now. Closing it stops the resolver.
 */
public final class ToolPolicy implements AutoCloseable {

    private final ScheduledExecutorService resolver;
    private final LoadedPolicy loaded;

    private ToolPolicy(ScheduledExecutorService resolver, LoadedPolicy loaded) {
        this.resolver = resolver;
        this.loaded = loaded;
    }

    /**
     * @param botOverride decides {@code cf.client.bot} instead of the bots list, or null
     * @throws ConfigException when a list file or an expression is wrong
     */
    public static ToolPolicy load(PolicyConfig config, BotClassifier botOverride) throws ConfigException {
        ScheduledExecutorService resolver = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "plexgate-dns");
            thread.setDaemon(true);
            return thread;
        });
        try {
            LoadedPolicy loaded = PolicyLoader.load(config, new SimpleMeterRegistry(), HostRefresh.system(resolver),
                    botOverride);
            return new ToolPolicy(resolver, loaded);
        } catch (ConfigException | RuntimeException e) {
            resolver.shutdownNow();
            throw e;
        }
    }

    public LoadedPolicy loaded() {
        return loaded;
    }

    @Override
    public void close() {
        loaded.close();
        resolver.shutdownNow();
    }
}
