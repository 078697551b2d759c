package dev.plexgate.proxy.tls;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * The TLS listener beside the plain one, for a cloudflared (or reverse proxy) on another machine.
 * The address is fixed for the life of the server; the identity changes with each reload.
 */
public record TlsListener(InetSocketAddress address, ServerIdentity identity) {

    public TlsListener {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(identity, "identity");
    }
}
