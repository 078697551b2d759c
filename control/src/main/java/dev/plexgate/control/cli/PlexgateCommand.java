package dev.plexgate.control.cli;

import dev.plexgate.control.service.PlexgateVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code plexgate}: lists its subcommands; run bare, prints its usage. */
@Command(name = "plexgate",
        mixinStandardHelpOptions = true,
        versionProvider = PlexgateCommand.Version.class,
        subcommands = {RunCommand.class, CheckCommand.class, EventsCommand.class, ExplainCommand.class,
            ExportCommand.class, AllowCommand.class, StatusCommand.class, DoctorCommand.class, TlsCommand.class,
            HelpCommand.class},
        header = "Shares Plex through a Cloudflare Tunnel behind a hardened reverse proxy.",
        synopsisSubcommandLabel = "COMMAND",
        commandListHeading = "%nCommands:%n",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            " 0:stopped cleanly (SIGTERM or SIGINT), or help printed",
            " 1:failed while running, e.g. the listen address is in use",
            " 2:invalid configuration or command line"})
public final class PlexgateCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    /** The command line with plexgate's failure handling: what {@code main} and the tests execute. */
    public static CommandLine commandLine() {
        return new CommandLine(new PlexgateCommand()).setExecutionExceptionHandler(new Failures());
    }

    @Override
    public void run() {
        // Bare `plexgate` is a usage error like any missing argument: picocli prints it and the usage.
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command");
    }

    static final class Version implements CommandLine.IVersionProvider {

        @Override
        public String[] getVersion() {
            return new String[] {"plexgate " + PlexgateVersion.get()};
        }
    }
}
