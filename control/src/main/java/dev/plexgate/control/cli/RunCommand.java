package dev.plexgate.control.cli;

import dev.plexgate.control.config.ConfigException;
import dev.plexgate.control.config.ConfigLoader;
import dev.plexgate.control.service.PlexgateService;
import dev.plexgate.control.service.StartFailure;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code plexgate run}: the service in the foreground, as systemd and the container start it. */
@Command(name = "run",
        header = "Run the proxy in the foreground until SIGTERM or SIGINT.",
        description = "Loads the configuration and refuses to start if any of it is wrong; listens, and logs"
                + " one line to stdout when ready. On SIGTERM or SIGINT, stops accepting, lets requests in"
                + " flight finish for up to timeouts.shutdown, and exits 0.")
final class RunCommand implements Callable<Integer> {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    private boolean help;

    @Mixin
    private ConfigOption config;

    @Override
    public Integer call() throws ConfigException, StartFailure, InterruptedException {
        Path file = config.file();
        new PlexgateService(file, ConfigLoader.load(file)).run();
        return 0;
    }
}
