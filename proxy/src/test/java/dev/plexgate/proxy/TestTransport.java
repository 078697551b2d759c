package dev.plexgate.proxy;

import dev.plexgate.proxy.upstream.UpstreamAddress;
import java.net.InetSocketAddress;
import java.util.Locale;

/**
 * The transport the proxy's tests run on. The build runs the tests of this package twice
 * (proxy/pom.xml): on the default, epoll, and again with {@code -Dplexgate.test.transport=io_uring},
 * so that every behaviour they assert holds on the opt-in transport too.
 */
public final class TestTransport {

    public static final Transport.Kind KIND = Transport.Kind.valueOf(
            System.getProperty("plexgate.test.transport", "epoll").toUpperCase(Locale.ROOT));

    private TestTransport() {
    }

    /** {@link ProxySettings#defaults} on the transport under test. */
    public static ProxySettings defaults(InetSocketAddress listen, UpstreamAddress upstream) {
        return ProxySettings.defaults(listen, upstream).withTransport(KIND);
    }
}
