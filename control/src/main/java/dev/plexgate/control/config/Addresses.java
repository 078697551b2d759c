package dev.plexgate.control.config;

import java.net.InetSocketAddress;

/** Addresses written back the way plexgate.yml writes them, for logs, status and commands. */
public final class Addresses {

    private Addresses() {
    }

    /** {@code 127.0.0.1:32401} or {@code [::1]:32401}. */
    public static String hostAndPort(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
