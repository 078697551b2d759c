package dev.plexgate.agent;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The tunnel as {@code /status} and the metrics show it. Nothing in it is secret: the tunnel id is
 * in the dashboard's URLs, the connector id in cloudflared's own {@code /ready}.
 *
 * @param state            where the child is
 * @param since            when it got there
 * @param restarts         children started after the first, since plexgate started
 * @param lastExitCode     the last child's exit code; null before any exit
 * @param readyConnections edge connections registered, from the last {@code /ready}; 0 when not running
 * @param connectorId      cloudflared's connector id from {@code /ready}; null until it answered
 * @param tunnelId         the tunnel named by the token; null when disabled
 * @param problem          why the tunnel is not running or keeps failing, for an operator; null when fine
 */
public record AgentStatus(AgentState state, Instant since, int restarts, Integer lastExitCode,
        int readyConnections, UUID connectorId, UUID tunnelId, String problem) {

    public AgentStatus {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(since, "since");
    }

    /** Whether the tunnel carries traffic now. */
    public boolean connected() {
        return state == AgentState.CONNECTED;
    }
}
