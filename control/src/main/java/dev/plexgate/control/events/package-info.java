/**
 * Reading the security events file back for {@code plexgate events}: lines parsed into
 * {@link dev.plexgate.control.events.EventLine}s, filtered, shown as a table, and followed across
 * rotations by a {@link dev.plexgate.control.events.FileTail}. The proxy's
 * {@code dev.plexgate.proxy.events} package writes the file.
 */
package dev.plexgate.control.events;
