/**
 * Replacing files so that a reader (the service's file watch, a crash, a full disk) sees the old
 * content or the new, never half: {@link dev.plexgate.control.files.AtomicFile} for one edited
 * file that keeps its owner and mode ({@code plexgate allow}), {@link dev.plexgate.control.files.AtomicFiles}
 * for a set written together with chosen modes, keys private from the first byte
 * ({@code plexgate tls}).
 */
package dev.plexgate.control.files;
