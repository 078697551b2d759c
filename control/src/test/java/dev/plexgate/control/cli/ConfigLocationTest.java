package dev.plexgate.control.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plexgate.control.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class ConfigLocationTest {

    @TempDir
    private Path dir;

    @Test
    void find_installedFileExists_isChosen() throws Exception {
        Path installed = Files.createFile(dir.resolve("etc.yml"));
        Path checkout = Files.createFile(dir.resolve("conf.yml"));

        assertThat(ConfigLocation.find(List.of(installed, checkout))).isEqualTo(installed);
    }

    @Test
    void find_onlyCheckoutFileExists_isChosen() throws Exception {
        Path checkout = Files.createFile(dir.resolve("conf.yml"));

        assertThat(ConfigLocation.find(List.of(dir.resolve("etc.yml"), checkout))).isEqualTo(checkout);
    }

    @Test
    void find_neitherExists_errorNamesBoth() {
        Path installed = dir.resolve("etc.yml");
        Path checkout = dir.resolve("conf.yml");

        assertThatThrownBy(() -> ConfigLocation.find(List.of(installed, checkout)))
                .isInstanceOf(ConfigException.class)
                .hasMessage(installed + ": no such file, nor " + checkout
                        + " (expected: one of them, or a file named with -c FILE)");
    }

    @Test
    void defaults_installedThenCheckout() {
        assertThat(ConfigLocation.DEFAULTS)
                .containsExactly(Path.of("/etc/plexgate/plexgate.yml"), Path.of("conf/plexgate.yml"));
    }
}
