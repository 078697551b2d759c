package dev.plexgate.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plexgate.proxy.Transport;
import io.netty.channel.ChannelConfig;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How much one read from Plex may take ({@link UpstreamPool#readSizes}), through Netty's own handle. */
final class UpstreamReadSizesTest {

    @Test
    void epoll_readsGrowTo1MiB_forMedia() {
        assertThat(firstAndLargestRead(Transport.Kind.EPOLL)).containsExactly(64 * 1024, 1024 * 1024);
    }

    @Test
    void ioUring_readsStartAt16KiB_andStopAt512KiB_becauseAQueuedReadHoldsItsBuffer() {
        assertThat(firstAndLargestRead(Transport.Kind.IO_URING)).containsExactly(16 * 1024, 512 * 1024);
    }

    /** The first read's size, and the size reads reach when every one fills its buffer. */
    private static List<Integer> firstAndLargestRead(Transport.Kind kind) {
        EmbeddedChannel channel = new EmbeddedChannel();
        try {
            ChannelConfig config = channel.config();
            RecvByteBufAllocator.ExtendedHandle handle =
                    (RecvByteBufAllocator.ExtendedHandle) UpstreamPool.readSizes(kind).newHandle();
            handle.reset(config);
            int first = handle.guess();
            for (int i = 0; i < 100; i++) {
                handle.reset(config);
                int size = handle.guess();
                handle.attemptedBytesRead(size);
                handle.lastBytesRead(size);
                handle.readComplete();
            }
            return List.of(first, handle.guess());
        } finally {
            channel.finishAndReleaseAll();
        }
    }
}
