/**
 * The admin listener: {@code /metrics}, {@code /status}, {@code /ready} and {@code /reload}, on
 * the JDK's own HTTP server, and the probe of Plex's {@code /identity} they report.
 */
package dev.plexgate.control.admin;
