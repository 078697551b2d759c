/**
 * {@code plexgate doctor}: checks of the whole setup (config, allow-list, plexgate's listeners and
 * TLS certificate, Plex and its settings, the tunnel, Plex's own port), each one a
 * {@link dev.plexgate.control.doctor.Finding} with the fix to apply. Nothing here sends traffic
 * anywhere but to the configured loopback services.
 */
package dev.plexgate.control.doctor;
