package dev.plexgate.control.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * plexgate's own certificate for its TLS listener, issued by a {@link LocalCa}.
 *
 * @param certificate for the names cloudflared connects to, for server authentication only
 * @param key         its private key
 */
public record ServerCertificate(X509Certificate certificate, PrivateKey key) {
}
