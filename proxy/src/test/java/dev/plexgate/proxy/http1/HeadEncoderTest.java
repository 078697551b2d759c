package dev.plexgate.proxy.http1;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** One scratch array per connection: every head still goes out whole, whatever came before it. */
class HeadEncoderTest {

    @Test
    void headsOfEverySize_goOutAsTheyEncode_inTurn() throws Exception {
        HeadEncoder encoder = new HeadEncoder();
        EmbeddedChannel channel = new EmbeddedChannel(new ChannelOutboundHandlerAdapter() {
            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                if (msg instanceof RequestHead request) {
                    encoder.write(ctx, request, promise);
                } else {
                    encoder.write(ctx, (ResponseHead) msg, promise);
                }
            }
        });
        // Short, longer than the first scratch array, short again (stale bytes after it), and
        // longer than a connection keeps.
        String[] heads = {
            "GET / HTTP/1.1\r\nHost: a\r\n",
            "GET /" + "p".repeat(3000) + " HTTP/1.1\r\nHost: a\r\n",
            "HTTP/1.1 204 No Content\r\n",
            "GET / HTTP/1.1\r\nX-Big: " + "v".repeat(20_000) + "\r\n",
        };
        for (String head : heads) {
            byte[] bytes = head.getBytes(StandardCharsets.ISO_8859_1);
            Object parsed = head.startsWith("HTTP/") ? ResponseHead.parse(bytes, 2) : RequestHead.parse(bytes, 2);
            channel.writeOutbound(parsed);
            ByteBuf written = channel.readOutbound();
            assertThat(written.toString(StandardCharsets.ISO_8859_1)).isEqualTo(head + "\r\n");
            written.release();
        }
        assertThat(channel.finish()).isFalse();
    }
}
