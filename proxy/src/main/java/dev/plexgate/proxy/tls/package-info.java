/**
 * TLS on both sides of the proxy: {@link dev.plexgate.proxy.tls.PemFiles} reads certificates and
 * keys as users bring them (BouncyCastle), {@link dev.plexgate.proxy.tls.ServerIdentity} checks a
 * chain and its key and builds the TLS listener's context, {@link dev.plexgate.proxy.tls.UpstreamTls}
 * says how an {@code https://} Plex is verified, and {@link dev.plexgate.proxy.tls.TlsEngine}
 * picks BoringSSL or the JDK and the protocols and suites both allow.
 */
package dev.plexgate.proxy.tls;
