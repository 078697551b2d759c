package dev.plexgate.control.cli;

import dev.plexgate.control.config.ConfigException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code -c/--config} option of every command that reads plexgate.yml, and its fallbacks. */
final class ConfigOption {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "plexgate.yml to use. Default: /etc/plexgate/plexgate.yml, or conf/plexgate.yml"
                    + " in the current directory when the first does not exist (a checkout).")
    private Path config;

    /** The file given, else the first default location that exists. */
    Path file() throws ConfigException {
        return config != null ? config : ConfigLocation.find(ConfigLocation.DEFAULTS);
    }
}
