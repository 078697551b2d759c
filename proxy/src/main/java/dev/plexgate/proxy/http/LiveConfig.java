package dev.plexgate.proxy.http;

import dev.plexgate.proxy.events.EventLog;
import java.util.Objects;

/**
 * The one place the running proxy's configuration changes: a reload swaps in a complete, already
 * validated {@link ExchangeConfig} with one volatile write; readers take the current generation
 * and keep it. The event log and the meters live as long as the server.
 */
public final class LiveConfig {

    private volatile ExchangeConfig current;
    private final EventLog events;
    private final ProxyMeters meters;

    public LiveConfig(ExchangeConfig initial, EventLog events, ProxyMeters meters) {
        this.current = Objects.requireNonNull(initial, "initial");
        this.events = Objects.requireNonNull(events, "events");
        this.meters = Objects.requireNonNull(meters, "meters");
    }

    public ExchangeConfig current() {
        return current;
    }

    public void swap(ExchangeConfig next) {
        current = Objects.requireNonNull(next, "next");
    }

    EventLog events() {
        return events;
    }

    ProxyMeters meters() {
        return meters;
    }
}
