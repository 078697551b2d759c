package dev.plexgate.control.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

final class NetworkListTest {

    @Test
    void loopbackCatchAllsAndWiderRanges_found() {
        assertThat(NetworkList.coveringLoopback("127.0.0.1, 127.0.0.0/8,0.0.0.0/0, ::1/128, ::/0, 0.0.0.0/1,"
                + " 127.0.0.0/255.0.0.0")).containsExactly("127.0.0.1", "127.0.0.0/8", "0.0.0.0/0", "::1/128", "::/0",
                "0.0.0.0/1", "127.0.0.0/255.0.0.0");
    }

    @Test
    void privateNetworksAndGarbage_notFound() {
        assertThat(NetworkList.coveringLoopback("192.168.1.0/24,10.0.0.0/255.0.0.0, fd00::/8, 128.0.0.0/1, plex.lan,"
                + " 10.0.0.0/99, ")).isEmpty();
        assertThat(NetworkList.coveringLoopback("")).isEmpty();
    }
}
