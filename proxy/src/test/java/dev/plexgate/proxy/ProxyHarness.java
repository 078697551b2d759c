package dev.plexgate.proxy;

import dev.plexgate.proxy.testing.TestOrigin;
import dev.plexgate.proxy.upstream.UpstreamAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.function.UnaryOperator;

/** A real proxy on 127.0.0.1, port 0, in front of a real {@link TestOrigin}. */
public final class ProxyHarness implements AutoCloseable {

    public final TestOrigin origin;
    public final ProxyServer proxy;
    public final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    private ProxyHarness(TestOrigin origin, ProxyServer proxy) {
        this.origin = origin;
        this.proxy = proxy;
    }

    public static ProxyHarness start() throws InterruptedException {
        return start(UnaryOperator.identity());
    }

    public static ProxyHarness start(UnaryOperator<ProxySettings> customise) throws InterruptedException {
        TestOrigin origin = TestOrigin.start();
        try {
            ProxySettings settings = TestTransport.defaults(new InetSocketAddress("127.0.0.1", 0),
                    new UpstreamAddress("127.0.0.1", origin.port()));
            return new ProxyHarness(origin, ProxyServer.start(customise.apply(settings)));
        } catch (RuntimeException | InterruptedException e) {
            origin.close();
            throw e;
        }
    }

    public static UnaryOperator<ProxySettings> timeouts(UnaryOperator<ProxySettings.Timeouts> change) {
        return settings -> settings.withTimeouts(change.apply(settings.timeouts()));
    }

    public int port() {
        return proxy.localAddress().getPort();
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
    }

    @Override
    public void close() throws InterruptedException {
        try {
            proxy.close();
        } finally {
            origin.close();
        }
    }
}
