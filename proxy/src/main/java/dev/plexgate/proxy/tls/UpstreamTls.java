package dev.plexgate.proxy.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * How plexgate speaks TLS to an {@code https://} upstream. Plex serves its own
 * {@code *.<hash>.plex.direct} certificate from a public CA on its port, so the JDK's trust store
 * verifies it once {@code serverName} is that name.
 *
 * @param trustedCertificates the CAs to trust instead of the JDK's trust store; empty for the JDK's
 * @param serverName          the name sent (SNI) and verified in Plex's certificate; null for the
 *                            upstream's host
 * @param insecureSkipVerify  accept any certificate: encryption without authentication, for a
 *                            test bench only; warned about at load and by {@code doctor}
 */
public record UpstreamTls(List<X509Certificate> trustedCertificates, String serverName, boolean insecureSkipVerify) {

    /** Verified against the JDK's trust store, by the upstream's own host name. */
    public static final UpstreamTls DEFAULT = new UpstreamTls(List.of(), null, false);

    public UpstreamTls {
        trustedCertificates = List.copyOf(trustedCertificates);
        if (serverName != null && serverName.isEmpty()) {
            throw new IllegalArgumentException("empty server_name");
        }
    }

    /** The name to send and verify when connecting to {@code host}. */
    public String serverNameFor(String host) {
        return Objects.requireNonNullElse(serverName, host);
    }

    /** A client context; its handlers verify the chain and, unless skipped, the server name. */
    public SslContext clientContext() {
        SslContextBuilder builder = SslContextBuilder.forClient()
                .sslProvider(TlsEngine.provider())
                .protocols(TlsEngine.PROTOCOLS)
                .ciphers(TlsEngine.CIPHER_SUITES, SupportedCipherSuiteFilter.INSTANCE);
        if (insecureSkipVerify) {
            builder.trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null);
        } else {
            builder.endpointIdentificationAlgorithm("HTTPS");
            if (!trustedCertificates.isEmpty()) {
                builder.trustManager(trustedCertificates.toArray(X509Certificate[]::new));
            }
        }
        try {
            return builder.build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build the upstream TLS context", e);
        }
    }
}
