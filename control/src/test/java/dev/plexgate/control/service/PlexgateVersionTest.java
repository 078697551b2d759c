package dev.plexgate.control.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

final class PlexgateVersionTest {

    @Test
    void get_outsideTheJar_isTheProjectVersionFilledInByMaven() {
        // Tests run from target/classes: no manifest, so this is the filtered resource.
        assertThat(PlexgateVersion.get()).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    }
}
