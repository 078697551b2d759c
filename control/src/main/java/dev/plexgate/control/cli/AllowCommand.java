package dev.plexgate.control.cli;

import dev.plexgate.control.allow.AllowList;
import dev.plexgate.control.allow.ClientTraffic;
import dev.plexgate.control.allow.EntryListing;
import dev.plexgate.control.allow.HostAddresses;
import dev.plexgate.control.allow.IpListChoice;
import dev.plexgate.control.allow.NewEntry;
import dev.plexgate.control.allow.Refusal;
import dev.plexgate.control.allow.ReloadClient;
import dev.plexgate.control.allow.ReloadOutcome;
import dev.plexgate.control.config.ConfigException;
import dev.plexgate.control.config.ConfigLoader;
import dev.plexgate.control.config.PlexgateConfig;
import dev.plexgate.control.config.PolicyConfig.ListDefinition;
import dev.plexgate.control.files.AtomicFile;
import dev.plexgate.proxy.policy.lists.HostResolver;
import dev.plexgate.proxy.policy.lists.IpListEntry;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code plexgate allow}: add, remove and list the entries of an IP list such as allow.list. */
@Command(name = "allow",
        header = "Add, remove and list the addresses allowed through the tunnel.",
        description = "Edits the IP list file (allow.list) that plexgate.yml names, as `plexgate run` reads it:"
                + " an entry is checked by the same parser, the file is replaced atomically and every other"
                + " line and comment is kept as it is. After a change, a running plexgate is asked to reload.",
        synopsisSubcommandLabel = "COMMAND",
        commandListHeading = "%nCommands:%n",
        subcommands = {AllowCommand.Add.class, AllowCommand.Remove.class, AllowCommand.ListEntries.class})
final class AllowCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    private boolean help;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command (expected: add, remove or list)");
    }

    /** Which list file to work on: from {@code -c} and {@code --list}. */
    static final class ListOption {

        @Mixin
        private ConfigOption config;

        @Option(names = "--list", paramLabel = "LIST",
                description = "The IP list of plexgate.yml to use. Default: the only one, or friends.")
        private String list;

        Target select() throws ConfigException, Refusal {
            Path file = config.file();
            PlexgateConfig loaded = ConfigLoader.load(file);
            return new Target(IpListChoice.choose(loaded.policy(), list, file), loaded.admin().uri());
        }
    }

    /**
     * What a command works on.
     *
     * @param list  the IP list chosen
     * @param admin where a running plexgate takes reload requests
     */
    private record Target(ListDefinition list, URI admin) {

        Path file() {
            return list.file();
        }

        /**
         * Asks for the reload and prints {@code done} with its outcome.
         *
         * @return the exit status: 0 when reloaded or not running, 1 when the reload failed
         */
        int reload(CommandSpec spec, String done) {
            PrintWriter out = spec.commandLine().getOut();
            ReloadOutcome outcome = ReloadClient.reload(admin);
            if (outcome instanceof ReloadOutcome.Failed failed) {
                out.println(done);
                out.flush();
                PrintWriter err = spec.commandLine().getErr();
                err.println("the reload failed: " + failed.message()
                        + System.lineSeparator() + "plexgate keeps running with its previous configuration");
                err.flush();
                return Refusal.REFUSED;
            }
            out.println(done + (outcome instanceof ReloadOutcome.Reloaded ? "; reloaded"
                    : "; plexgate is not running, the change applies at its next start"));
            out.flush();
            return 0;
        }
    }

    @Command(name = "add",
            header = "Allow an address, a network or a host name.",
            description = "Appends `ENTRY  NAME  # COMMENT` to the list file, then reloads a running plexgate."
                    + " Refuses an entry that is invalid or already in the list.",
            exitCodeListHeading = "%nExit status:%n",
            exitCodeList = {
                " 0:added (and reloaded, or plexgate is not running)",
                " 1:already in the list, or the reload failed",
                " 2:invalid entry, list file or configuration"})
    static final class Add implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
        private boolean help;

        @Mixin
        private ListOption options;

        @Parameters(index = "0", paramLabel = "ADDR|CIDR|HOST",
                description = "An IPv4 or IPv6 address, a CIDR with zero host bits, or a host name (dynamic DNS).")
        private String entry;

        @Parameters(index = "1", arity = "0..1", paramLabel = "NAME",
                description = "Labels the entry's traffic in metrics and events, such as bob.")
        private String name;

        @Option(names = "--comment", paramLabel = "TEXT", description = "A note written after the entry.")
        private String comment;

        @Override
        public Integer call() throws ConfigException {
            try {
                Target target = options.select();
                AllowList list = AllowList.read(target.file());
                NewEntry added = NewEntry.of(target.file(), entry, name, comment);
                AllowList.Addition addition = list.add(added);
                write(target.file(), addition.text());
                return target.reload(spec, "added " + added.line() + " to " + target.file() + " at line "
                        + addition.lineNumber());
            } catch (Refusal refusal) {
                return refused(spec, refusal);
            } catch (IOException e) {
                return cannotWrite(spec, e);
            }
        }
    }

    @Command(name = "remove",
            header = "Remove an entry, or every entry of a name.",
            description = "Removes the lines whose entry is ENTRY (in any spelling of the same network or host"
                    + " name) or whose name is NAME, then reloads a running plexgate.",
            exitCodeListHeading = "%nExit status:%n",
            exitCodeList = {
                " 0:removed (and reloaded, or plexgate is not running)",
                " 1:no such entry or name, or the reload failed",
                " 2:invalid list file or configuration"})
    static final class Remove implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
        private boolean help;

        @Mixin
        private ListOption options;

        @Parameters(index = "0", paramLabel = "ENTRY|NAME", description = "An entry as in the list, or a name.")
        private String entryOrName;

        @Override
        public Integer call() throws ConfigException {
            try {
                Target target = options.select();
                AllowList list = AllowList.read(target.file());
                List<IpListEntry> removed = list.matching(entryOrName);
                if (removed.isEmpty()) {
                    PrintWriter err = spec.commandLine().getErr();
                    err.println("nothing to remove: no entry or name '" + entryOrName + "' in " + target.file());
                    err.flush();
                    return Refusal.REFUSED;
                }
                write(target.file(), list.without(removed));
                PrintWriter out = spec.commandLine().getOut();
                for (IpListEntry entry : removed) {
                    out.println("removed line " + entry.line() + ": " + list.line(entry).strip());
                }
                return target.reload(spec, "removed " + removed.size() + (removed.size() == 1 ? " entry" : " entries")
                        + " from " + target.file());
            } catch (Refusal refusal) {
                return refused(spec, refusal);
            } catch (IOException e) {
                return cannotWrite(spec, e);
            }
        }
    }

    @Command(name = "list",
            header = "Show the entries with their names, comments and current addresses.",
            description = "One line per entry: its line in the file, the entry, its name, the bytes sent to that"
                    + " name since plexgate started (when it is running), a host name's addresses as resolved now,"
                    + " and its comment.",
            exitCodeListHeading = "%nExit status:%n",
            exitCodeList = {
                " 0:listed (possibly no entries)",
                " 2:invalid list file or configuration"})
    static final class ListEntries implements Callable<Integer> {

        private final HostResolver resolver;
        private final Duration resolveTimeout;

        @Spec
        private CommandSpec spec;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
        private boolean help;

        @Mixin
        private ListOption options;

        @Option(names = "--json", description = "Print one JSON document instead of a table.")
        private boolean json;

        ListEntries() {
            this(HostResolver.system(), HostAddresses.TIMEOUT);
        }

        /** Tests resolve without DNS. */
        ListEntries(HostResolver resolver, Duration resolveTimeout) {
            this.resolver = resolver;
            this.resolveTimeout = resolveTimeout;
        }

        @Override
        public Integer call() throws ConfigException, InterruptedException {
            try {
                Target target = options.select();
                EntryListing listing = EntryListing.of(target.list().name(), AllowList.read(target.file()),
                        new HostAddresses(resolver, resolveTimeout), ClientTraffic.scrape(target.admin()));
                PrintWriter out = spec.commandLine().getOut();
                out.print(json ? listing.json() : listing.table());
                out.flush();
                return 0;
            } catch (Refusal refusal) {
                return refused(spec, refusal);
            }
        }
    }

    private static void write(Path file, String text) throws IOException {
        AtomicFile.replace(file, text.getBytes(StandardCharsets.UTF_8));
    }

    private static int refused(CommandSpec spec, Refusal refusal) {
        PrintWriter err = spec.commandLine().getErr();
        err.println(refusal.getMessage());
        err.flush();
        return refusal.exitCode();
    }

    private static int cannotWrite(CommandSpec spec, IOException e) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("cannot write the list file: " + e);
        err.flush();
        return Refusal.REFUSED;
    }
}
