package dev.plexgate.proxy.testing;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /:/websockets/notifications}: a real websocket, like Plex's notification channel. It greets
 * with {@value #HELLO} and echoes every text and binary frame, which is enough to show a relay
 * carries both directions after the 101.
 */
final class WebSocketEndpoint {

    static final String HELLO = "{\"hello\":true}";

    private static final Logger log = LoggerFactory.getLogger(WebSocketEndpoint.class);
    private static final WebSocketDecoderConfig DECODER_CONFIG = WebSocketDecoderConfig.newBuilder()
            .maxFramePayloadLength(1 << 20)
            .build();

    private WebSocketEndpoint() {
    }

    static void upgrade(Exchange exchange) {
        HttpRequest request = exchange.request();
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(
                "ws://127.0.0.1" + request.uri(), null, DECODER_CONFIG).newHandshaker(request);
        if (handshaker == null) {
            HttpResponse head = exchange.newHead(HttpResponseStatus.UPGRADE_REQUIRED, "text/plain; charset=utf-8");
            head.headers().set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, "13");
            exchange.respond(head, "unsupported websocket version\n".getBytes(StandardCharsets.US_ASCII));
            return;
        }
        // A websocket GET has no body, so the head alone is the full request the handshaker wants.
        FullHttpRequest full = new DefaultFullHttpRequest(request.protocolVersion(), request.method(),
                request.uri(), Unpooled.EMPTY_BUFFER, request.headers(), EmptyHttpHeaders.INSTANCE);
        ChannelHandlerContext ctx = exchange.ctx();
        try {
            handshaker.handshake(ctx.channel(), full).addListener(done -> {
                if (done.isSuccess()) {
                    ctx.channel().writeAndFlush(new TextWebSocketFrame(HELLO));
                } else {
                    ctx.close();
                }
            });
        } catch (WebSocketHandshakeException invalid) {
            exchange.respondText(HttpResponseStatus.BAD_REQUEST, "invalid websocket handshake\n");
            return;
        }
        // From here on the connection carries frames, not HTTP exchanges.
        ctx.pipeline().replace(ctx.handler(), "websocket-echo", new EchoHandler(handshaker));
    }

    private static final class EchoHandler extends ChannelInboundHandlerAdapter {
        private final WebSocketServerHandshaker handshaker;

        EchoHandler(WebSocketServerHandshaker handshaker) {
            this.handshaker = handshaker;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof CloseWebSocketFrame close) {
                handshaker.close(ctx.channel(), close);
            } else if (msg instanceof PingWebSocketFrame ping) {
                ctx.writeAndFlush(new PongWebSocketFrame(ping.content()));
            } else if (msg instanceof PongWebSocketFrame) {
                ReferenceCountUtil.release(msg);
            } else if (msg instanceof WebSocketFrame frame) {
                ctx.writeAndFlush(frame); // text, binary and continuation frames go back as they came
            } else {
                ReferenceCountUtil.release(msg); // the empty end of the upgrade request
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("closing websocket {} after {}", ctx.channel(), cause.toString());
            ctx.close();
        }
    }
}
