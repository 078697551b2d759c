package dev.plexgate.proxy.testing;

import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** How the origin describes a request: in its records and in /echo-headers alike. */
final class RequestFacts {

    private RequestFacts() {
    }

    /** Lowercase header name to its values, names in order of first appearance, values in order received. */
    static Map<String, List<String>> headersByName(HttpHeaders headers) {
        Map<String, List<String>> byName = new LinkedHashMap<>();
        headers.forEach(header -> byName
                .computeIfAbsent(header.getKey().toLowerCase(Locale.ROOT), name -> new ArrayList<>())
                .add(header.getValue()));
        return byName;
    }

    /** The peer as {@code ip:port} ({@code [ip]:port} for IPv6). */
    static String peer(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            String ip = inet.getAddress().getHostAddress();
            return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }
}
