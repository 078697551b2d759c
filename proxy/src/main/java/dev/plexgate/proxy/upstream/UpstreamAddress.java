package dev.plexgate.proxy.upstream;

import java.util.Objects;

/** Where Plex listens: plain HTTP, a host and a port. */
public record UpstreamAddress(String host, int port) {

    public UpstreamAddress {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("empty upstream host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("upstream port " + port + " (expected: 1 to 65535)");
        }
    }

    /** The value for a {@code Host} header and for logs: IPv6 literals in brackets. */
    public String authority() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return "http://" + authority();
    }
}
