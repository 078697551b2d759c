package dev.plexgate.agent;

/**
 * Where the supervised cloudflared is:
 *
 * <pre>
 * DISABLED → STARTING → CONNECTED ⇄ DEGRADED
 *               ↑           ↓ (exit)
 *               └─ BACKOFF ←┘
 * any → STOPPING → STOPPED
 * </pre>
 *
 * STARTING turns DEGRADED as well when cloudflared is not ready within the readiness grace (an
 * unreachable edge: cloudflared retries forever without exiting). An exit with code 255 (token or
 * usage refused) goes to STOPPED with a problem in the status instead of BACKOFF: restarting would
 * fail the same way until the config changes.
 */
public enum AgentState {
    /** {@code tunnel.enabled} is false: no child. */
    DISABLED,
    /** The child runs and has not been ready yet since it started. */
    STARTING,
    /** {@code /ready} answers 200 with at least one registered edge connection. */
    CONNECTED,
    /** The child runs but has not been ready for longer than the readiness grace. */
    DEGRADED,
    /** The child exited; it is started again when the backoff delay is over. */
    BACKOFF,
    /** SIGTERM sent, waiting for the child to exit (killed after the grace period and a margin). */
    STOPPING,
    /** No child, and none will be started until a config change or a new start. */
    STOPPED
}
