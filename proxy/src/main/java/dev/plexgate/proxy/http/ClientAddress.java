package dev.plexgate.proxy.http;

import java.net.InetAddress;

/**
 * Who the request is from, as far as the proxy can tell (DESIGN §3.2).
 *
 * @param address      the visitor: from the trusted peer's header, else the TCP peer; normalised
 * @param trustedPeer  the TCP peer is a configured trusted proxy (cloudflared)
 * @param country      {@code CF-IPCountry} from a trusted peer, else {@code ""}
 * @param https        a trusted peer says the visitor used HTTPS
 */
public record ClientAddress(InetAddress address, boolean trustedPeer, String country, boolean https) {
}
