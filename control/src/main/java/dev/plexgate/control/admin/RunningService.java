package dev.plexgate.control.admin;

import dev.plexgate.agent.AgentStatus;
import dev.plexgate.proxy.ProxyServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Instant;

/** What the admin listener shows of the running service, and the one thing it may do to it. */
public interface RunningService {

    String version();

    Instant started();

    Path configFile();

    ProxyServer proxy();

    AgentStatus tunnel();

    /** Where the proxy and the policy count requests. */
    MeterRegistry meters();

    /** The last load of the config: the one at start until a reload is tried. */
    ReloadReport lastReload();

    /** Loads the config on disk now, as SIGHUP does. */
    ReloadReport reload(String trigger);
}
