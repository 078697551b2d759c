package dev.plexgate.proxy.upstream;

import dev.plexgate.proxy.Transport;
import dev.plexgate.proxy.tls.TlsFailures;
import dev.plexgate.proxy.tls.UpstreamTls;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * One {@code GET} to Plex beside the proxy's request path: the health probe's {@code /identity}
 * and {@code doctor}'s checks. It speaks TLS exactly as {@link UpstreamPool} does — the same
 * client context, {@code server_name} sent and verified while connecting to the configured host
 * and port — which the JDK's HttpClient cannot: it verifies only the host of the URI it connects
 * to. One connection per request ({@code Connection: close}), on an event loop of its own.
 */
public final class UpstreamGet implements AutoCloseable {

    /** Plex's {@code /identity} and {@code /:/prefs} are a few kB; more is not what was asked for. */
    public static final int MAX_BODY_BYTES = 1024 * 1024;

    private static final int MAX_HEADER_SIZE = 64 * 1024;

    /**
     * What Plex answered.
     *
     * @param headers a copy, the connection's own buffers being gone
     * @param body    decoded with the charset of its {@code Content-Type}, UTF-8 when it names none
     */
    public record Response(int status, HttpHeaders headers, String body) {
    }

    /** The last context built: a probe every 15 s reuses it until a reload changes upstream_tls. */
    private record TlsContext(UpstreamTls settings, SslContext context) {
    }

    private final Duration timeout;
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private volatile TlsContext tlsContext;

    /**
     * @param timeout    for the whole request: connecting, the TLS handshake and the answer
     * @param threadName the name of its event loop's thread
     */
    public UpstreamGet(Duration timeout, String threadName) {
        Transport transport = Transport.select(Transport.Kind.EPOLL);
        this.timeout = timeout;
        this.group = transport.newGroup(1, threadName);
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(transport.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }

    /**
     * {@code GET pathAndQuery} on {@code upstream} with {@code headers} added to {@code Host} and
     * {@code Connection: close}.
     *
     * @throws UpstreamGetException when no whole answer came within the timeout, saying why
     */
    public Response get(UpstreamAddress upstream, String pathAndQuery, Map<String, String> headers)
            throws UpstreamGetException, InterruptedException {
        CompletableFuture<Response> answer = new CompletableFuture<>();
        SslContext tls = upstream.secure() ? context(upstream.tls()) : null;
        ChannelFuture connect = bootstrap.clone()
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        if (tls != null) {
                            SslHandler handler = tls.newHandler(channel.alloc(),
                                    upstream.tls().serverNameFor(upstream.host()), upstream.port());
                            // A failed handshake fails the request with its own cause, before the close it leads to.
                            handler.handshakeFuture().addListener(handshake -> {
                                if (!handshake.isSuccess()) {
                                    answer.completeExceptionally(handshake.cause());
                                }
                            });
                            channel.pipeline().addLast(handler);
                        }
                        channel.pipeline().addLast(new HttpClientCodec(new HttpDecoderConfig()
                                .setMaxHeaderSize(MAX_HEADER_SIZE), false, false));
                        channel.pipeline().addLast(new HttpObjectAggregator(MAX_BODY_BYTES));
                        channel.pipeline().addLast(new OneAnswer(answer));
                    }
                })
                .connect(upstream.host(), upstream.port());
        ScheduledFuture<?> deadline = group.schedule(() -> answer.completeExceptionally(
                new UpstreamGetException("no answer within " + words(timeout), false, null)),
                timeout.toNanos(), TimeUnit.NANOSECONDS);
        connect.addListener((ChannelFuture connected) -> {
            if (connected.isSuccess()) {
                connected.channel().writeAndFlush(request(upstream, pathAndQuery, headers));
            } else {
                answer.completeExceptionally(connected.cause());
            }
        });
        try {
            return answer.get();
        } catch (ExecutionException e) {
            throw failure(e.getCause());
        } finally {
            deadline.cancel(false);
            connect.channel().close();
        }
    }

    private SslContext context(UpstreamTls settings) {
        TlsContext last = tlsContext;
        if (last == null || !last.settings().equals(settings)) {
            last = new TlsContext(settings, settings.clientContext());
            tlsContext = last;
        }
        return last.context();
    }

    private static FullHttpRequest request(UpstreamAddress upstream, String pathAndQuery, Map<String, String> headers) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, pathAndQuery,
                Unpooled.EMPTY_BUFFER);
        request.headers()
                .set(HttpHeaderNames.HOST, upstream.authority())
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        headers.forEach(request.headers()::set);
        return request;
    }

    /** The cause in words: Netty's and the JDK's own messages name exception classes or repeat the address. */
    private UpstreamGetException failure(Throwable cause) {
        if (cause instanceof UpstreamGetException known) {
            return known;
        }
        SSLException tls = TlsFailures.find(cause);
        if (tls != null) {
            return new UpstreamGetException("TLS handshake failed: " + TlsFailures.rootMessage(tls), true, cause);
        }
        String reason;
        if (cause instanceof ConnectTimeoutException) {
            reason = "no answer within " + words(timeout);
        } else if (cause instanceof ConnectException && String.valueOf(cause.getMessage()).contains("refused")) {
            reason = "connection refused";
        } else if (cause instanceof UnknownHostException) {
            reason = "unknown host " + cause.getMessage();
        } else if (cause instanceof TooLongFrameException) {
            reason = "the answer is larger than " + MAX_BODY_BYTES / 1024 + " KiB or its head than "
                    + MAX_HEADER_SIZE / 1024 + " KiB";
        } else {
            reason = TlsFailures.rootMessage(cause);
        }
        return new UpstreamGetException(reason, false, cause);
    }

    private static String words(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
    }

    /** Completes the request with the one aggregated response; a close before it is a failure. */
    private static final class OneAnswer extends SimpleChannelInboundHandler<FullHttpResponse> {

        private final CompletableFuture<Response> answer;

        OneAnswer(CompletableFuture<Response> answer) {
            this.answer = answer;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            if (response.decoderResult().isFailure()) {
                // The decoder hands on what it could not parse (a head too large, say) with the reason attached.
                answer.completeExceptionally(response.decoderResult().cause());
            } else {
                answer.complete(new Response(response.status().code(), response.headers().copy(),
                        response.content().toString(HttpUtil.getCharset(response, StandardCharsets.UTF_8))));
            }
            ctx.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            answer.completeExceptionally(cause);
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            answer.completeExceptionally(new UpstreamGetException("closed the connection without answering", false,
                    null));
        }
    }
}
