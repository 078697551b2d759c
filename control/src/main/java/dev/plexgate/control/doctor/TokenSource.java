package dev.plexgate.control.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Where the tunnel's token comes from, read back from {@code plexgate.yml}: the loaded settings hold
 * the token, not its file, and doctor wants to look at the file's mode.
 *
 * @param file        the token file, relative paths resolved against plexgate.yml's directory; null with {@code environment}
 * @param environment the variable named by {@code tunnel.token_env}; null with {@code file}
 */
record TokenSource(Path file, String environment) {

    /** Where the README puts it, and the config's default. */
    static final Path DEFAULT_FILE = Path.of("/etc/plexgate/tunnel.token");

    /** Reads the {@code tunnel} section of {@code config}, which has already loaded without error. */
    static TokenSource of(Path config) throws IOException {
        JsonNode tunnel = new ObjectMapper(new YAMLFactory()).readTree(config.toFile()).path("tunnel");
        if (tunnel.hasNonNull("token_env")) {
            return new TokenSource(null, tunnel.get("token_env").asText());
        }
        if (tunnel.hasNonNull("token_file")) {
            return new TokenSource(config.toAbsolutePath().getParent().resolve(tunnel.get("token_file").asText()), null);
        }
        return new TokenSource(DEFAULT_FILE, null);
    }
}
