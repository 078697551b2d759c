/**
 * The cloudflared supervisor: plexgate runs the tunnel's connector as its own child, so that one
 * service owns the whole path from the tunnel to Plex (DESIGN §6).
 *
 * <p>Start at {@link dev.plexgate.agent.TunnelAgent}: {@code create(settings)}, {@code start()},
 * {@code reload(settings)}, {@code stop()} and {@code status()}. {@link
 * dev.plexgate.agent.TunnelSettings} is what it runs, every argument checked before cloudflared sees
 * it; {@link dev.plexgate.agent.TunnelToken} holds the token, which only ever leaves it as the child's
 * {@code TUNNEL_TOKEN}; {@link dev.plexgate.agent.AgentStatus} is what it reports. Inside: the
 * restart backoff, the {@code /ready} probe and the log relay, each a small package-private class.
 *
 * <p>Plain JDK and SLF4J: no Netty, no YAML (the control module reads {@code plexgate.yml}). Values
 * are never null unless a record's documentation says so.
 */
package dev.plexgate.agent;
