/**
 * The security events file (DESIGN §3.6): a {@link dev.plexgate.proxy.events.SecurityEvent} per
 * request that matched a {@code block}, {@code skip} or {@code log} rule, written as a JSON line
 * by an {@link dev.plexgate.proxy.events.EventLog} off the event loops, rotated by size as its
 * {@link dev.plexgate.proxy.events.EventLogSettings} say.
 */
package dev.plexgate.proxy.events;
