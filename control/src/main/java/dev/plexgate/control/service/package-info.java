/**
 * The running plexgate: {@link dev.plexgate.control.service.PlexgateService} starts the proxy from
 * a loaded configuration, and the tunnel agent (cloudflared) when enabled, logs the startup line,
 * waits for SIGTERM or SIGINT and stops in order; {@code Reloader} applies changed files while it
 * runs. A later issue adds the admin server here.
 */
package dev.plexgate.control.service;
