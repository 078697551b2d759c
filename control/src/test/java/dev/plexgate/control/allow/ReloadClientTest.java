package dev.plexgate.control.allow;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** Where the reload request goes for each kind of admin.listen. */
final class ReloadClientTest {

    @Test
    void reloadUri_loopbackAsWritten_wildcardOnLoopback_ipv6InBrackets() {
        assertThat(ReloadClient.reloadUri(new InetSocketAddress("127.0.0.1", 9810)))
                .hasToString("http://127.0.0.1:9810/reload");
        assertThat(ReloadClient.reloadUri(new InetSocketAddress("0.0.0.0", 9810)))
                .hasToString("http://127.0.0.1:9810/reload");
        assertThat(ReloadClient.reloadUri(new InetSocketAddress("::1", 9811)))
                .hasToString("http://[0:0:0:0:0:0:0:1]:9811/reload");
    }
}
