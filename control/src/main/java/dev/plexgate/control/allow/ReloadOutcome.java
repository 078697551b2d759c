package dev.plexgate.control.allow;

/** What a running service answered to {@code POST /reload}. */
public sealed interface ReloadOutcome {

    /** The new configuration is in effect. */
    record Reloaded() implements ReloadOutcome {
    }

    /** Nothing listens on the admin address: the files are read at the next start. */
    record NotRunning() implements ReloadOutcome {
    }

    /** The service refused the new configuration, or did not answer; it keeps the previous one. */
    record Failed(String message) implements ReloadOutcome {
    }
}
