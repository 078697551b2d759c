package dev.plexgate.control.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plexgate.proxy.policy.IpLiterals;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

final class AdminSectionTest {

    private static final Path FILE = Path.of("/etc/plexgate/plexgate.yml");

    @Test
    void absent_isLoopbackPort9810() throws ConfigException {
        assertThat(ConfigLoader.parse(FILE, "").admin()).isEqualTo(AdminSettings.DEFAULTS);
        assertThat(AdminSettings.DEFAULTS.listen())
                .isEqualTo(new InetSocketAddress(IpLiterals.parse("127.0.0.1"), 9810));
    }

    @Test
    void shippedConfig_hasTheDefaults() throws ConfigException {
        assertThat(ConfigLoader.load(Path.of("../conf/plexgate.yml")).admin()).isEqualTo(AdminSettings.DEFAULTS);
    }

    @Test
    void ipv6Loopback_isAccepted() throws ConfigException {
        AdminSettings admin = ConfigLoader.parse(FILE, "admin:\n  listen: \"[::1]:9811\"\n").admin();

        assertThat(admin.listen()).isEqualTo(new InetSocketAddress(IpLiterals.parse("::1"), 9811));
    }

    @Test
    void nonLoopback_isRefused_sayingWhy() {
        assertThatThrownBy(() -> ConfigLoader.parse(FILE, "admin:\n  listen: 0.0.0.0:9810\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(FILE + ":2:11: admin.listen: is not a loopback address: /reload and /status would be"
                        + " reachable from the LAN (expected: a loopback address such as 127.0.0.1:9810, or"
                        + " allow_remote: true to mean it)");
    }

    @Test
    void nonLoopback_withAllowRemote_isAccepted() throws ConfigException {
        AdminSettings admin = ConfigLoader.parse(FILE, "admin:\n  listen: 192.0.2.10:9810\n  allow_remote: true\n")
                .admin();

        assertThat(admin).isEqualTo(new AdminSettings(
                new InetSocketAddress(IpLiterals.parse("192.0.2.10"), 9810), true));
    }

    @Test
    void badAddress_usesTheAdminExample() {
        assertThatThrownBy(() -> ConfigLoader.parse(FILE, "admin:\n  listen: 127.0.0.1\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(FILE + ":2:11: admin.listen: '127.0.0.1' has no port (expected: host:port with an"
                        + " explicit port, such as 127.0.0.1:9810)");
    }
}
