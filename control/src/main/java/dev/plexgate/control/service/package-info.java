/**
 * The running plexgate: {@link dev.plexgate.control.service.PlexgateService} starts the proxy from
 * a loaded configuration, logs the startup line, waits for SIGTERM or SIGINT and stops in order.
 * Later issues add the tunnel agent, the admin server and reloads here.
 */
package dev.plexgate.control.service;
