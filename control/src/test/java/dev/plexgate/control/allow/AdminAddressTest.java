package dev.plexgate.control.allow;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** Where requests to the admin listener go for each kind of admin.listen. */
final class AdminAddressTest {

    @Test
    void uri_loopbackAsWritten_wildcardOnLoopback_ipv6InBrackets() {
        assertThat(AdminAddress.uri(new InetSocketAddress("127.0.0.1", 9810), "/reload"))
                .hasToString("http://127.0.0.1:9810/reload");
        assertThat(AdminAddress.uri(new InetSocketAddress("0.0.0.0", 9810), "/reload"))
                .hasToString("http://127.0.0.1:9810/reload");
        assertThat(AdminAddress.uri(new InetSocketAddress("::1", 9811), "/reload"))
                .hasToString("http://[0:0:0:0:0:0:0:1]:9811/reload");
    }
}
