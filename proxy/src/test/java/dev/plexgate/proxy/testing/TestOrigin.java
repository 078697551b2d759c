package dev.plexgate.proxy.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/1.1 server on loopback that behaves like Plex Media Server where the proxy cares: the
 * token-free {@code /identity}, direct-play media parts with byte ranges, websockets, server-sent
 * events, long polls, uploads with {@code Expect: 100-continue}, and a few failure modes. Bodies are
 * generated and streamed with backpressure, never held whole, so parts of many gigabytes are cheap.
 * It records every request head it decodes so tests can see exactly what the proxy forwarded.
 *
 * <p>Endpoints: {@code GET /identity}; {@code GET|HEAD /library/parts/{size}/file.mkv};
 * {@code GET /slow?chunks=N&interval_ms=M&size=S}; {@code GET /delay?ms=M};
 * {@code GET /reset?after=N}; {@code GET /broken?kind=lengths|chunk};
 * {@code GET /:/websockets/notifications} (upgrade);
 * {@code GET /:/eventsource/notifications?interval_ms=M&count=K}; {@code POST|PUT /upload};
 * {@code GET /echo-headers}; {@code GET /status/{code}}; {@code GET /big-headers?n=K&value_length=L};
 * anything else is 404.
 */
public final class TestOrigin implements AutoCloseable {

    /** The body of {@code GET /identity}. */
    public static final String IDENTITY_XML = SimpleEndpoints.IDENTITY_XML;
    /** The text frame the websocket endpoint sends right after the handshake. */
    public static final String WEBSOCKET_HELLO = WebSocketEndpoint.HELLO;
    /** The boundary of multi-range responses. */
    public static final String MULTIPART_BOUNDARY = MediaPartEndpoint.MULTIPART_BOUNDARY;
    /** The name of the origin's HTTP codec in each connection's pipeline. */
    static final String HTTP_CODEC = "http";

    /** The Content-Length {@code /reset} announces before cutting the connection. */
    public static final int RESET_ANNOUNCED_LENGTH = SimpleEndpoints.RESET_ANNOUNCED_LENGTH;

    private static final int MAX_INITIAL_LINE = 64 * 1024;
    private static final int MAX_HEADER_SIZE = 64 * 1024;
    private static final int MAX_CHUNK_SIZE = 1024 * 1024;

    // The listener has a loop of its own so stop() can end it: Java only closes a selectable socket
    // once its selector lets go of it, and closing the selector is the one way to make that immediate.
    private final EventLoopGroup listenerGroup;
    private final EventLoopGroup connectionGroup;
    private final ChannelGroup connections = new DefaultChannelGroup("test-origin", GlobalEventExecutor.INSTANCE);
    private final Channel listener;
    private final InetSocketAddress address;
    private final AtomicInteger connectionCount = new AtomicInteger();
    private final AtomicInteger continuesSent = new AtomicInteger();
    private final AtomicBoolean stopped = new AtomicBoolean();
    // Guarded by itself: the list and the count change together, and awaitRequests waits on it.
    private final List<RecordedRequest> recorded = new ArrayList<>();

    private TestOrigin(SslContext tls) {
        listenerGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("test-origin-listener", true),
                NioIoHandler.newFactory());
        connectionGroup = new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("test-origin", true),
                NioIoHandler.newFactory());
        try {
            listener = new ServerBootstrap()
                    .group(listenerGroup, connectionGroup)
                    .channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            connectionCount.incrementAndGet();
                            connections.add(channel);
                            if (tls != null) {
                                channel.pipeline().addLast("tls", tls.newHandler(channel.alloc()));
                            }
                            channel.pipeline().addLast(HTTP_CODEC, new HttpServerCodec(new HttpDecoderConfig()
                                    .setMaxInitialLineLength(MAX_INITIAL_LINE)
                                    .setMaxHeaderSize(MAX_HEADER_SIZE)
                                    .setMaxChunkSize(MAX_CHUNK_SIZE)));
                            channel.pipeline().addLast("chunked-writer", new ChunkedWriteHandler());
                            channel.pipeline().addLast("origin", new OriginConnectionHandler(TestOrigin.this));
                        }
                    })
                    .bind(new InetSocketAddress("127.0.0.1", 0))
                    .syncUninterruptibly()
                    .channel();
            address = (InetSocketAddress) listener.localAddress();
        } catch (RuntimeException e) {
            listenerGroup.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            connectionGroup.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** Starts an origin on 127.0.0.1 and an ephemeral port. */
    public static TestOrigin start() {
        return new TestOrigin(null);
    }

    /** Starts an origin that serves TLS with {@code tls}, as Plex does on its port with its plex.direct certificate. */
    public static TestOrigin startTls(SslContext tls) {
        return new TestOrigin(tls);
    }

    /** Where the origin listens (still answers after {@link #stop()}, for tests of a dead origin). */
    public InetSocketAddress address() {
        return address;
    }

    public int port() {
        return address().getPort();
    }

    /** {@code http://127.0.0.1:port} followed by {@code pathAndQuery}. */
    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
    }

    /** The path of a media part of {@code size} bytes. */
    public static String partPath(long size) {
        return "/library/parts/" + size + "/file.mkv";
    }

    /** The byte at {@code offset} of every media part. */
    public static byte contentByte(long offset) {
        return GeneratedContent.at(offset);
    }

    /** {@code length} bytes of media-part content from {@code offset}. */
    public static byte[] contentBytes(long offset, int length) {
        return GeneratedContent.bytes(offset, length);
    }

    /** Lowercase hex SHA-256 of {@code length} bytes of media-part content from {@code offset}. */
    public static String contentSha256(long offset, long length) {
        return GeneratedContent.sha256(offset, length);
    }

    /** Lowercase hex SHA-256 of {@code bytes}, to compare with {@link #contentSha256} or /upload's answer. */
    public static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(GeneratedContent.newSha256().digest(bytes));
    }

    /** Request heads decoded since start or {@link #reset()}, malformed ones included. */
    public int requestCount() {
        synchronized (recorded) {
            return recorded.size();
        }
    }

    public List<RecordedRequest> requests() {
        synchronized (recorded) {
            return List.copyOf(recorded);
        }
    }

    /** The most recent request head; fails when there is none. */
    public RecordedRequest lastRequest() {
        synchronized (recorded) {
            if (recorded.isEmpty()) {
                throw new IllegalStateException("the origin has received no request");
            }
            return recorded.get(recorded.size() - 1);
        }
    }

    /**
     * Waits until at least {@code count} request heads have arrived and returns them.
     *
     * @throws AssertionError when {@code deadline} passes first
     */
    public List<RecordedRequest> awaitRequests(int count, Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        synchronized (recorded) {
            while (recorded.size() < count) {
                long remainingMillis = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
                if (remainingMillis <= 0) {
                    throw new AssertionError("expected " + count + " requests within " + deadline
                            + " but the origin received " + recorded.size() + ": " + recorded);
                }
                try {
                    recorded.wait(remainingMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while awaiting requests", e);
                }
            }
            return List.copyOf(recorded);
        }
    }

    /** TCP connections accepted since start or {@link #reset()}. */
    public int connectionCount() {
        return connectionCount.get();
    }

    /** TCP connections open right now. */
    public int openConnectionCount() {
        return connections.size();
    }

    /** How many {@code 100 Continue} responses /upload has sent since start or {@link #reset()}. */
    public int continuesSent() {
        return continuesSent.get();
    }

    /** Forgets recorded requests and zeroes the counters; open connections stay open. */
    public void reset() {
        synchronized (recorded) {
            recorded.clear();
        }
        connectionCount.set(0);
        continuesSent.set(0);
    }

    /** Closes every open connection (as an origin restart or idle timeout would) but keeps listening. */
    public void closeConnections() {
        connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** Makes the origin dead: stops listening, so connects are refused, and closes open connections. */
    public void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        listener.close().syncUninterruptibly();
        // Until its selector closes, the listening socket would still complete handshakes.
        listenerGroup.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
        closeConnections();
    }

    @Override
    public void close() {
        stop();
        connectionGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    void recordRequest(HttpRequest request, SocketAddress peer) {
        RecordedRequest record = new RecordedRequest(request.method().name(), request.uri(),
                RequestFacts.headersByName(request.headers()), RequestFacts.peer(peer));
        synchronized (recorded) {
            recorded.add(record);
            recorded.notifyAll();
        }
    }

    void recordContinueSent() {
        continuesSent.incrementAndGet();
    }
}
