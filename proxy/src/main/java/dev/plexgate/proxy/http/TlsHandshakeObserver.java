package dev.plexgate.proxy.http;

import dev.plexgate.proxy.tls.TlsFailures;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts and logs, with the peer's address, a TLS handshake that failed on the TLS listener: a
 * peer without an accepted client certificate, a scanner, an old client. A peer that merely hung
 * up before the end is counted but logged at debug only. It leaves the pipeline
 * once the handshake is done; the TLS handler closes a connection whose handshake failed.
 */
final class TlsHandshakeObserver extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(TlsHandshakeObserver.class);

    private final ProxyMeters meters;

    TlsHandshakeObserver(ProxyMeters meters) {
        this.meters = meters;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof SslHandshakeCompletionEvent completion) {
            ctx.pipeline().remove(this);
            if (!completion.isSuccess()) {
                meters.tlsHandshakeFailure();
                if (completion.cause() instanceof ClosedChannelException) {
                    // The peer hung up mid-handshake (a port scan, a client giving up): no TLS error to report.
                    log.debug("TLS handshake with {} ended: the peer closed the connection", peer(ctx));
                } else {
                    log.warn("TLS handshake with {} failed: {}", peer(ctx), TlsFailures.rootMessage(completion.cause()));
                }
            }
        }
        super.userEventTriggered(ctx, event);
    }

    private static String peer(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress address
                ? address.getHostString() + ":" + address.getPort()
                : String.valueOf(ctx.channel().remoteAddress());
    }
}
