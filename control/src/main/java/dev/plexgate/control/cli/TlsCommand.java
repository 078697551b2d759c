package dev.plexgate.control.cli;

import dev.plexgate.control.tls.LocalCa;
import dev.plexgate.control.tls.ServerCertificate;
import dev.plexgate.control.tls.SubjectNames;
import dev.plexgate.control.tls.TlsFiles;
import dev.plexgate.control.tls.TlsRefusal;
import dev.plexgate.control.tls.TlsReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code plexgate tls}: a local CA and the certificate of plexgate's TLS listener, which cloudflared verifies. */
@Command(name = "tls",
        header = "Make a local CA and the certificate of plexgate's TLS listener.",
        description = "For cloudflared on another machine: it connects to plexgate's TLS listener (listen_tls) and,"
                + " given the CA certificate (caPool) and the name to expect (originServerName), makes sure it"
                + " talks to plexgate.",
        synopsisSubcommandLabel = "COMMAND",
        commandListHeading = "%nCommands:%n",
        subcommands = {TlsCommand.Init.class, TlsCommand.Renew.class})
final class TlsCommand implements Runnable {

    /** Where Linux keeps the host name: read as a file, so that naming the CA never asks DNS. */
    private static final Path HOSTNAME = Path.of("/proc/sys/kernel/hostname");
    private static final int MAX_PORT = 65_535;

    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    private boolean help;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command (expected: init or renew)");
    }

    /** The options both commands share. */
    static final class TlsOptions {

        @Option(names = "--dir", paramLabel = "DIR", defaultValue = "/etc/plexgate/tls",
                description = "Where ca.pem, ca.key, server.pem and server.key are; init creates it 0700."
                        + " Default: ${DEFAULT-VALUE}.")
        private Path directory;

        @Option(names = "--name", paramLabel = "HOST",
                description = "A host name cloudflared reaches plexgate by, such as plexbox.lan. Repeatable.")
        private List<String> hosts = new ArrayList<>();

        @Option(names = "--ip", paramLabel = "ADDRESS",
                description = "An IPv4 or IPv6 address cloudflared reaches plexgate at, such as 192.168.1.10."
                        + " Repeatable.")
        private List<String> addresses = new ArrayList<>();

        @Option(names = "--port", paramLabel = "PORT", defaultValue = "32443",
                description = "The port of plexgate's TLS listener, for the settings printed. Default: ${DEFAULT-VALUE}.")
        private int port;

        @Option(names = "--owner", paramLabel = "USER",
                description = "Give server.pem, server.key and the directory to USER: the user plexgate runs as"
                        + " (plexgate, for the .deb's service). The CA key stays the current user's."
                        + " Default: the owner of the files replaced, else the current user.")
        private String owner;

        TlsFiles files() {
            return new TlsFiles(directory);
        }

        boolean namesGiven() {
            return !hosts.isEmpty() || !addresses.isEmpty();
        }

        SubjectNames names() throws TlsRefusal {
            return SubjectNames.parse(hosts, addresses);
        }

        /** The owner to give the server's files, or null: looked up before anything is written. */
        UserPrincipal owner(TlsFiles files) throws TlsRefusal {
            return owner == null ? null : files.user(owner);
        }

        int port() {
            return port;
        }

        void checkPort(CommandSpec spec) {
            if (port < 1 || port > MAX_PORT) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--port " + port + ": not a port (expected: 1 to " + MAX_PORT + ")");
            }
        }
    }

    @Command(name = "init",
            header = "Create a local CA and a server certificate it signs.",
            description = "Writes into DIR a CA (EC P-256, valid 10 years: ca.pem, and ca.key 0600) and a server"
                    + " certificate for every --name and --ip (valid 1 year: server.pem, the certificate then the"
                    + " CA's, and server.key 0600), then prints the settings of plexgate.yml and cloudflared that"
                    + " use them. Refuses to replace existing files without --force.",
            exitCodeListHeading = "%nExit status:%n",
            exitCodeList = {
                " 0:written",
                " 1:a file exists already (without --force), or writing failed",
                " 2:invalid name, address, owner or option"})
    static final class Init implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
        private boolean help;

        @Mixin
        private TlsOptions options;

        @Option(names = "--force",
                description = "Replace existing files: a new CA, whose ca.pem cloudflared must then be given.")
        private boolean force;

        @Override
        public Integer call() {
            options.checkPort(spec);
            TlsFiles files = options.files();
            try {
                SubjectNames names = options.names();
                UserPrincipal owner = options.owner(files);
                List<Path> existing = files.existing();
                if (!force && !existing.isEmpty()) {
                    return refused(spec, "refusing to overwrite " + TlsFiles.names(existing) + ": run"
                            + " `plexgate tls renew` for a new server certificate from the same CA, or give --force"
                            + " to replace them all with a new CA (then give cloudflared the new ca.pem)",
                            TlsRefusal.REFUSED);
                }
                SecureRandom random = new SecureRandom();
                Instant now = Instant.now();
                LocalCa ca = LocalCa.create(LocalCa.commonName(HOSTNAME, random), now, random);
                ServerCertificate server = ca.issue(names, now, random);
                files.writeAll(ca, server, owner);
                return printed(spec, TlsReport.initialised(files, ca, server, names, ownerName(files), options.port()));
            } catch (TlsRefusal refusal) {
                return refused(spec, refusal.getMessage(), refusal.exitCode());
            } catch (IOException e) {
                return refused(spec, "cannot write in " + files.directory() + ": " + e, TlsRefusal.REFUSED);
            }
        }
    }

    @Command(name = "renew",
            header = "Replace the server certificate with a new one from the same CA.",
            description = "Reads the CA from DIR (ca.pem, ca.key) and replaces server.pem and server.key with a new key"
                    + " and a certificate valid 1 year, for the names of the certificate it replaces, or those of"
                    + " --name and --ip when given. cloudflared keeps trusting it: the CA is the same. A running"
                    + " plexgate loads the new files by itself.",
            exitCodeListHeading = "%nExit status:%n",
            exitCodeList = {
                " 0:renewed",
                " 1:no CA in DIR (run init first), the CA has expired, or writing failed",
                " 2:invalid name, address, owner, option or file"})
    static final class Renew implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
        private boolean help;

        @Mixin
        private TlsOptions options;

        @Override
        public Integer call() {
            options.checkPort(spec);
            TlsFiles files = options.files();
            try {
                SubjectNames given = options.namesGiven() ? options.names() : null;
                UserPrincipal owner = options.owner(files);
                LocalCa ca = files.readCa();
                SubjectNames names = given != null ? given : files.serverNames();
                SecureRandom random = new SecureRandom();
                ServerCertificate server = ca.issue(names, Instant.now(), random);
                files.writeServer(ca, server, owner);
                return printed(spec, TlsReport.renewed(files, ca, server, names, ownerName(files), options.port()));
            } catch (TlsRefusal refusal) {
                return refused(spec, refusal.getMessage(), refusal.exitCode());
            } catch (IOException e) {
                return refused(spec, "cannot write in " + files.directory() + ": " + e, TlsRefusal.REFUSED);
            }
        }
    }

    private static String ownerName(TlsFiles files) throws IOException {
        return Files.getOwner(files.serverKey()).getName();
    }

    private static int printed(CommandSpec spec, String report) {
        PrintWriter out = spec.commandLine().getOut();
        out.print(report);
        out.flush();
        return 0;
    }

    private static int refused(CommandSpec spec, String message, int exitCode) {
        PrintWriter err = spec.commandLine().getErr();
        err.println(message);
        err.flush();
        return exitCode;
    }
}
