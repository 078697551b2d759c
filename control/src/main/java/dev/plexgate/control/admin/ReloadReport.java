package dev.plexgate.control.admin;

import java.time.Instant;
import java.util.Objects;

/**
 * One load of the config, for {@code /status} and {@code POST /reload}.
 *
 * @param time    when it was tried
 * @param trigger why: start, SIGHUP, file change, POST /reload
 * @param applied whether it now serves; a rejected one leaves the previous config running
 * @param message what was logged for it: a summary, or the rejection's errors
 */
public record ReloadReport(Instant time, String trigger, boolean applied, String message) {

    public ReloadReport {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(message, "message");
    }
}
