package dev.plexgate.control.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plexgate.proxy.policy.IpLiterals;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class ListeningSocketsTest {

    private static final String HEADER =
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";

    @TempDir
    Path dir;

    @Test
    void ipv4_listenOnly_onThatPort() throws IOException {
        Path table = Files.writeString(dir.resolve("tcp"), HEADER
                + "   0: 00000000:7D00 00000000:0000 0A 00000000:00000000 00:00000000 00000000   998 0 1 1\n"
                + "   1: 0100007F:7D00 00000000:0000 0A 00000000:00000000 00:00000000 00000000   998 0 2 1\n"
                + "   2: 0201A8C0:7D00 0501A8C0:D431 01 00000000:00000000 00:00000000 00000000   998 0 3 1\n"
                + "   3: 0201A8C0:7D01 00000000:0000 0A 00000000:00000000 00:00000000 00000000   998 0 4 1\n");

        assertThat(ListeningSockets.listening(table, 32000))
                .containsExactly(IpLiterals.parse("0.0.0.0"), IpLiterals.parse("127.0.0.1"));
    }

    @Test
    void ipv6_wordsInHostOrder() throws IOException {
        Path table = Files.writeString(dir.resolve("tcp6"), HEADER
                + "   0: 00000000000000000000000000000000:7D00 00000000000000000000000000000000:0000 0A 0 0 0\n"
                + "   1: 00000000000000000000000001000000:7D00 00000000000000000000000000000000:0000 0A 0 0 0\n"
                + "   2: B80D0120000000000000000001000000:7D00 00000000000000000000000000000000:0000 0A 0 0 0\n");

        assertThat(ListeningSockets.listening(table, 32000)).containsExactly(IpLiterals.parse("::"),
                IpLiterals.parse("::1"), IpLiterals.parse("2001:db8::1"));
    }
}
