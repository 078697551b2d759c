package dev.plexgate.control.service;

import dev.plexgate.agent.AgentStatus;
import dev.plexgate.agent.TunnelAgent;
import dev.plexgate.control.admin.ReloadReport;
import dev.plexgate.control.admin.RunningService;
import dev.plexgate.proxy.ProxyServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Instant;

/** The running service as the admin listener sees it. */
record ServiceState(String version, Instant started, Path configFile, ProxyServer proxy, TunnelAgent agent,
        MeterRegistry meters, Reloader reloader) implements RunningService {

    @Override
    public AgentStatus tunnel() {
        return agent.status();
    }

    @Override
    public ReloadReport lastReload() {
        return reloader.lastReload();
    }

    @Override
    public ReloadReport reload(String trigger) {
        Reloader.Outcome outcome = reloader.reload(trigger);
        return new ReloadReport(Instant.now(), trigger, outcome.applied(), outcome.message());
    }
}
