package dev.plexgate.control.allow;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;

/** URLs of a running plexgate's admin listener, from plexgate.yml's {@code admin.listen}. */
final class AdminAddress {

    /** On loopback, a running service answers at once; longer means it is stuck or not plexgate. */
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private AdminAddress() {
    }

    /** A listener on every interface (allow_remote) is reached on loopback, like any local one. */
    static URI uri(InetSocketAddress admin, String path) {
        InetAddress address = admin.getAddress().isAnyLocalAddress()
                ? InetAddress.getLoopbackAddress() : admin.getAddress();
        String host = address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
        return URI.create("http://" + host + ":" + admin.getPort() + path);
    }
}
