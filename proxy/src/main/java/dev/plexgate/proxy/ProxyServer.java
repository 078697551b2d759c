package dev.plexgate.proxy;

import java.net.InetSocketAddress;
import java.time.Duration;

/** The running proxy: bound listener, event loops, upstream pools. Not yet implemented. */
public final class ProxyServer implements AutoCloseable {

    private ProxyServer() {
    }

    /** Binds {@code settings.listen()} and starts serving; throws when the address cannot be bound. */
    public static ProxyServer start(ProxySettings settings) throws InterruptedException {
        throw new UnsupportedOperationException("in progress");
    }

    /** The bound address (the real port when the settings asked for port 0). */
    public InetSocketAddress localAddress() {
        throw new UnsupportedOperationException("in progress");
    }

    /** {@code epoll} or {@code nio}. */
    public String transport() {
        throw new UnsupportedOperationException("in progress");
    }

    /** Stops accepting, lets in-flight exchanges finish for up to {@code grace}, then closes everything. */
    public void shutdown(Duration grace) throws InterruptedException {
        throw new UnsupportedOperationException("in progress");
    }

    @Override
    public void close() throws InterruptedException {
        shutdown(Duration.ZERO);
    }
}
