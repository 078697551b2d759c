package dev.plexgate.proxy.http1;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Finding heads in bytes that come in pieces, and what it tells about them. */
class HeadReaderTest {

    private static final String FIRST = "GET /a HTTP/1.1\r\nHost: plex\r\nX-A: 1\r\n";
    private static final String SECOND = "HEAD /b HTTP/1.1\nHost: plex\n";

    @Test
    void pipelinedHeads_fedByteByByte_comeOutWhole_withTheirLineCounts() {
        HeadReader reader = new HeadReader();
        ByteBuf in = Unpooled.buffer();
        byte[] wire = ("\r\n" + FIRST + "\r\n" + SECOND + "\nbody").getBytes(StandardCharsets.ISO_8859_1);

        StringBuilder heads = new StringBuilder();
        int[] lines = new int[2];
        int found = 0;
        for (byte b : wire) {
            in.writeByte(b);
            if (!reader.skipEmptyLines(in)) {
                continue;
            }
            byte[] head = reader.read(in, 1024);
            if (head != null) {
                heads.append(new String(head, StandardCharsets.ISO_8859_1)).append('|');
                lines[found++] = reader.linesOfLastHead();
            }
        }

        assertThat(heads.toString()).isEqualTo(FIRST + "|" + SECOND + "|");
        assertThat(lines).containsExactly(3, 2);
        assertThat(in.toString(StandardCharsets.ISO_8859_1)).as("what follows the head stays").isEqualTo("body");
    }

    @Test
    void firstLineLength_isKnownOnceTheLineIsWhole_andAHeadBeyondTheLimitIsNotTaken() {
        HeadReader reader = new HeadReader();
        ByteBuf in = Unpooled.copiedBuffer("GET /long", StandardCharsets.ISO_8859_1);
        assertThat(reader.read(in, 1024)).isNull();
        assertThat(reader.firstLineLength()).isEqualTo(-1);

        in.writeCharSequence(" HTTP/1.1\r\nHost: plex\r\n", StandardCharsets.ISO_8859_1);
        assertThat(reader.read(in, 1024)).isNull();
        assertThat(reader.firstLineLength()).isEqualTo("GET /long HTTP/1.1".length());

        in.writeCharSequence("\r\n", StandardCharsets.ISO_8859_1);
        assertThat(reader.read(in, 20)).as("the blank line lies beyond the limit").isNull();
        assertThat(reader.read(in, 1024)).isNotNull();
        assertThat(reader.firstLineLength()).as("still that of the head just read").isEqualTo(18);
        assertThat(in.isReadable()).isFalse();

        in.writeCharSequence("GET /next", StandardCharsets.ISO_8859_1);
        assertThat(reader.read(in, 1024)).isNull();
        assertThat(reader.firstLineLength()).as("the next head's line has not come whole").isEqualTo(-1);
    }
}
