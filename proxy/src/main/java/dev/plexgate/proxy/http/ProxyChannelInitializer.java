package dev.plexgate.proxy.http;

import dev.plexgate.proxy.ProxySettings;
import dev.plexgate.proxy.ShutdownInputOnClose;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.flow.FlowControlHandler;

/**
 * Assembles every client connection's pipeline; nothing else adds client-side handlers (after a
 * websocket's {@code 101}, {@link ProxyHandler} removes the HTTP stages and puts a
 * {@link WebSocketRelay} in its own place). On io_uring, {@link ShutdownInputOnClose} comes
 * first. Then, in order:
 * <pre>
 *  bytes in ─► [{@value #TLS} ─► {@value #TLS_OBSERVER}] ─► {@value #HEAD_TIMEOUT} ─► {@value #DECODER} ─────────────────► {@value #FLOW_CONTROL} ─► {@value #VALIDATOR} ─► {@value #PROXY}
 *  bytes out ◄─ [{@value #TLS}] ◄───────────────────────────────────────────────────── {@value #ENCODER} ◄────────────────────────────────────── {@value #PROXY}
 * </pre>
 * <ul>
 *   <li>on the TLS listener only, the {@link io.netty.handler.ssl.SslHandler} of the identity
 *       current when the connection opens (a reload changes it for new connections only) and a
 *       {@link TlsHandshakeObserver} that reports failed handshakes, then leaves;</li>
 *   <li>{@link RequestHeadTimeoutHandler}: slowloris and keep-alive deadlines, sees raw bytes;</li>
 *   <li>{@link RequestDecoder} and {@link ProxyResponseEncoder}: strict HTTP/1.1 decoding,
 *       HEAD-aware encoding (two handlers, not one {@code CombinedChannelDuplexHandler}, so that
 *       each event passes only the half it concerns);</li>
 *   <li>{@link FlowControlHandler}: releases one decoded message per {@code read()}, so pipelined
 *       requests wait their turn and a body is read only as fast as Plex takes it;</li>
 *   <li>{@link RequestValidator}: refuses what must not reach Plex;</li>
 *   <li>{@link ProxyHandler}: the exchange with Plex.</li>
 * </ul>
 * Only connections that {@link AdmissionHandler} let in get here: the cap applies before a
 * connection reaches its event loop. Per-connection limits and deadlines come from the config
 * generation current when the connection opens; every handler with state is created per
 * connection.
 */
public final class ProxyChannelInitializer extends ChannelInitializer<Channel> {

    static final String TLS = "tls";
    static final String TLS_OBSERVER = "tls-observer";
    static final String HEAD_TIMEOUT = "head-timeout";
    static final String DECODER = "http-decoder";
    static final String ENCODER = "http-encoder";
    static final String FLOW_CONTROL = "flow-control";
    static final String VALIDATOR = "validator";
    static final String PROXY = "proxy";

    private final LiveConfig live;
    private final ConnectionTracker connections;
    private final boolean tls;

    /** @param tls whether this is the TLS listener's initializer */
    public ProxyChannelInitializer(LiveConfig live, ConnectionTracker connections, boolean tls) {
        this.live = live;
        this.connections = connections;
        this.tls = tls;
    }

    @Override
    protected void initChannel(Channel channel) {
        ProxySettings settings = live.current().settings();
        if (!connections.track(channel)) {
            channel.close();
            return;
        }
        RequestHeadTimeoutHandler headTimeout = new RequestHeadTimeoutHandler(
                settings.timeouts().requestHeader(), settings.timeouts().keepAlive());
        ChannelPipeline pipeline = channel.pipeline();
        ShutdownInputOnClose.addIfNeeded(pipeline);
        if (tls) {
            pipeline.addLast(TLS, settings.listenTls().identity().context().newHandler(channel.alloc()));
            pipeline.addLast(TLS_OBSERVER, new TlsHandshakeObserver(live.meters()));
        }
        pipeline.addLast(HEAD_TIMEOUT, headTimeout);
        RequestDecoder decoder = new RequestDecoder(settings.limits().maxRequestLine(),
                settings.limits().maxHeaderSize());
        pipeline.addLast(DECODER, decoder);
        pipeline.addLast(ENCODER, new ProxyResponseEncoder(decoder.methods));
        pipeline.addLast(FLOW_CONTROL, new FlowControlHandler());
        pipeline.addLast(VALIDATOR, new RequestValidator());
        pipeline.addLast(PROXY, new ProxyHandler(live, headTimeout, connections));
    }
}
