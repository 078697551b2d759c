package dev.plexgate.control.cli;

import dev.plexgate.control.config.ConfigException;
import dev.plexgate.control.doctor.Doctor;
import dev.plexgate.control.doctor.DoctorEnvironment;
import dev.plexgate.control.doctor.FindingPrinter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code plexgate doctor}: the whole setup checked, one line per check, each problem with its fix. */
@Command(name = "doctor",
        header = "Check the whole setup: config, allow-list, listeners, Plex and its settings, the tunnel,"
                + " Plex's port.",
        description = "Prints one line per check, 'ok', 'warn' or 'fail', and after each warning or failure the fix"
                + " to apply. Plex's settings are read with a Plex token: --plex-token-file, or the one in Plex's"
                + " Preferences.xml when readable (run as root). The token is never printed.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            " 0:every check ok",
            " 1:warnings",
            " 2:failures"})
final class DoctorCommand implements Callable<Integer> {

    private static final int WARNINGS = 1;
    private static final int FAILURES = 2;

    private final DoctorEnvironment environment;

    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    private boolean help;

    @Mixin
    private ConfigOption config;

    @Option(names = "--plex-token-file", paramLabel = "FILE",
            description = "A file holding an X-Plex-Token of the server's owner. Default: Plex's Preferences.xml.")
    private Path plexTokenFile;

    @Option(names = "--strict", description = "Fail, not warn, when Plex's own port is open on other interfaces.")
    private boolean strict;

    DoctorCommand() {
        this(DoctorEnvironment.system());
    }

    /** With {@code environment} standing in for this machine's files and resolver. */
    DoctorCommand(DoctorEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws ConfigException, InterruptedException {
        FindingPrinter printer = new FindingPrinter(spec.commandLine().getOut());
        new Doctor(environment, printer).run(config.file(), plexTokenFile, strict);
        return switch (printer.worst()) {
            case OK -> 0;
            case WARN -> WARNINGS;
            case FAIL -> FAILURES;
        };
    }
}
