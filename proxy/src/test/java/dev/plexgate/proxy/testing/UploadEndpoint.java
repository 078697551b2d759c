package dev.plexgate.proxy.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * {@code POST|PUT /upload}: hashes the body as it streams in and answers with its length and SHA-256,
 * so a test can prove a body crossed the proxy intact without anyone holding it in memory.
 */
final class UploadEndpoint implements Exchange.BodyListener {

    private final Exchange exchange;
    private final MessageDigest digest = GeneratedContent.newSha256();
    private long bytes;

    private UploadEndpoint(Exchange exchange) {
        this.exchange = exchange;
    }

    static void start(Exchange exchange) {
        // Answered by the origin itself on the head, as Plex does, so a test sees whether the
        // proxy passed the expectation on instead of answering it or sending the body early.
        if (HttpUtil.is100ContinueExpected(exchange.request())) {
            exchange.ctx().writeAndFlush(new DefaultFullHttpResponse(
                    HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER));
            exchange.origin().recordContinueSent();
        }
        exchange.listenToBody(new UploadEndpoint(exchange));
    }

    @Override
    public void onContent(ByteBuf content) {
        bytes += content.readableBytes();
        for (ByteBuffer piece : content.nioBuffers()) {
            digest.update(piece);
        }
    }

    @Override
    public void onEnd() {
        String json = "{\"bytes\":" + bytes + ",\"sha256\":\"" + HexFormat.of().formatHex(digest.digest()) + "\"}";
        exchange.respond(exchange.newHead(HttpResponseStatus.OK, "application/json"),
                json.getBytes(StandardCharsets.US_ASCII));
    }
}
