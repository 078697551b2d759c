package dev.plexgate.control.cli;

import dev.plexgate.control.config.ConfigException;
import dev.plexgate.control.config.ConfigLoader;
import dev.plexgate.control.config.LoadedPolicy;
import dev.plexgate.control.config.PlexgateConfig;
import dev.plexgate.control.config.PolicyConfig.RuleDefinition;
import dev.plexgate.control.explain.ToolPolicy;
import dev.plexgate.control.export.EdgeExport;
import dev.plexgate.control.export.EdgeExporter;
import dev.plexgate.control.export.EdgeRule;
import dev.plexgate.control.export.ExportSource;
import dev.plexgate.control.export.ExportTarget;
import dev.plexgate.control.export.JsonExport;
import dev.plexgate.control.export.TerraformExport;
import dev.plexgate.proxy.policy.CustomRule;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code plexgate export}: the policy in another system's terms. */
@Command(name = "export",
        header = "Print the policy for the edge, so both layers enforce the same rules.",
        synopsisSubcommandLabel = "TARGET",
        subcommands = ExportCommand.Cloudflare.class)
final class ExportCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    private boolean help;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing target (expected: cloudflare)");
    }

    /** {@code plexgate export cloudflare}. */
    @Command(name = "cloudflare",
            header = "Print the rules as Cloudflare API calls (JSON) or Terraform resources.",
            description = "Prints, in the order to apply them: each IP list a rule names ($name) with its items,"
                    + " the custom rules (http_request_firewall_custom), the rate limiting rules (http_ratelimit)"
                    + " and, with cache.bypass, the \"Bypass cache\" cache rule. Expressions are copied byte for"
                    + " byte. Every place where the edge will behave differently from plexgate is a warning on"
                    + " stderr.",
            exitCodeListHeading = "%nExit status:%n",
            exitCodeList = {
                " 0:printed (warnings, if any, on stderr)",
                " 2:invalid configuration or command line"})
    static final class Cloudflare implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
        private boolean help;

        @Mixin
        private ConfigOption config;

        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "json", converter = FormatConverter.class,
                description = "json: the API calls (method, path, body) in one document; terraform: resources for"
                        + " version 4 of the Cloudflare provider. Default: ${DEFAULT-VALUE}.")
        private Format format;

        @Option(names = "--zone-id", paramLabel = "ID", description = "The zone's id. Default: a placeholder.")
        private String zoneId;

        @Option(names = "--account-id", paramLabel = "ID",
                description = "The account's id, which owns the lists. Default: a placeholder.")
        private String accountId;

        @Option(names = "--hostname", paramLabel = "NAME",
                description = "The tunnel's public host name, such as plex.example.com: the cache rule applies to"
                        + " it only. Default: the cache rule applies to the whole zone.")
        private String hostname;

        @Override
        public Integer call() throws ConfigException {
            ExportTarget target;
            try {
                target = new ExportTarget(zoneId, accountId, hostname);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            PlexgateConfig loaded = ConfigLoader.load(config.file());
            EdgeExport export;
            try (ToolPolicy tool = ToolPolicy.load(loaded.policy(), null)) {
                export = EdgeExporter.export(source(loaded, tool.loaded()), target);
            }
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            out.print(format == Format.TERRAFORM ? TerraformExport.render(export) : JsonExport.render(export));
            export.warnings().forEach(warning -> err.println("warning: " + warning));
            export.notes().forEach(note -> err.println("note: " + note));
            out.flush();
            err.flush();
            return 0;
        }

        /** The compiled rules with the actions as written: a challenge stays a challenge at the edge. */
        private static ExportSource source(PlexgateConfig config, LoadedPolicy loaded) {
            List<RuleDefinition> definitions = config.policy().rules();
            List<CustomRule> rules = loaded.policy().rules();
            List<EdgeRule> edgeRules = new ArrayList<>();
            for (int i = 0; i < rules.size(); i++) {
                edgeRules.add(new EdgeRule(rules.get(i), definitions.get(i).action().word()));
            }
            return new ExportSource(edgeRules, loaded.policy().rateLimitRules(), loaded.ipLists(),
                    loaded.policy().botFightMode(), config.proxy().cacheBypass());
        }
    }

    enum Format {
        JSON, TERRAFORM
    }

    static final class FormatConverter implements CommandLine.ITypeConverter<Format> {

        @Override
        public Format convert(String value) {
            for (Format format : Format.values()) {
                if (format.name().toLowerCase(Locale.ROOT).equals(value)) {
                    return format;
                }
            }
            throw new CommandLine.TypeConversionException("'" + value + "' is not a format (expected: json or terraform)");
        }
    }
}
