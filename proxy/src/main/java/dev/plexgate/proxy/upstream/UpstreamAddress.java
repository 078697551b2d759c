package dev.plexgate.proxy.upstream;

import dev.plexgate.proxy.tls.UpstreamTls;
import java.util.Objects;

/**
 * Where Plex listens: a host and a port, in plain HTTP, or in TLS when {@code tls} says how.
 *
 * @param tls null for {@code http://}; for {@code https://}, how the connection is verified
 */
public record UpstreamAddress(String host, int port, UpstreamTls tls) {

    public UpstreamAddress {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("empty upstream host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("upstream port " + port + " (expected: 1 to 65535)");
        }
    }

    /** Plain HTTP. */
    public UpstreamAddress(String host, int port) {
        this(host, port, null);
    }

    public boolean secure() {
        return tls != null;
    }

    /** The value for a {@code Host} header and for logs: IPv6 literals in brackets. */
    public String authority() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** The URL as configured: {@code http://host:port} or {@code https://host:port}. */
    @Override
    public String toString() {
        return (secure() ? "https://" : "http://") + authority();
    }
}
