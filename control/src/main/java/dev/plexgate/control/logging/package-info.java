/**
 * Log output: the Logback converters behind {@code logback.xml}'s one-line format, and
 * {@link dev.plexgate.control.logging.Secrets}, which keeps Plex and tunnel tokens out of every line
 * whatever the code that logged it forgot.
 */
package dev.plexgate.control.logging;
