/**
 * {@code plexgate tls init} and {@code renew}: a local CA of one's own (EC P-256, ten years) and the
 * server certificate it signs for plexgate's TLS listener, so that cloudflared can verify plexgate
 * ({@code originRequest.caPool}, {@code originServerName}) instead of trusting whatever answers.
 * Start at {@link dev.plexgate.control.tls.LocalCa}; {@link dev.plexgate.control.tls.TlsFiles}
 * reads and writes the directory, {@link dev.plexgate.control.tls.TlsReport} says what to configure.
 * Certificates are built with BouncyCastle on the JDK's own providers: nothing registers a provider.
 */
package dev.plexgate.control.tls;
