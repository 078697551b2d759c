package dev.plexgate.control.cli;

import dev.plexgate.control.config.ConfigException;
import dev.plexgate.control.config.ConfigLoader;
import dev.plexgate.control.config.ConfigProblem;
import dev.plexgate.control.config.LoadedPolicy;
import dev.plexgate.control.config.PlexgateConfig;
import dev.plexgate.control.explain.Explainer;
import dev.plexgate.control.explain.Explanation;
import dev.plexgate.control.explain.ExplanationText;
import dev.plexgate.control.explain.SimulatedRequest;
import dev.plexgate.control.explain.SimulatedRequest.Header;
import dev.plexgate.control.explain.ToolPolicy;
import dev.plexgate.control.explain.TunnelRequest;
import dev.plexgate.proxy.policy.BotClassifier;
import dev.plexgate.proxy.policy.IpLiterals;
import dev.plexgate.proxy.policy.rules.CompiledExpression;
import dev.plexgate.proxy.policy.rules.RuleCompileException;
import dev.plexgate.proxy.policy.rules.RulesCompiler;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code plexgate explain}: one request through the configured rules, rule by rule. */
@Command(name = "explain",
        header = "Show what the rules make of one request: why was my friend blocked?",
        description = "Builds the request as the proxy receives it from a trusted cloudflared (client --ip,"
                + " country --country, HTTPS when --url starts with https://, Host from the URL) and prints"
                + " each custom rule's verdict, the rate limiting rules, Bot Fight Mode and the decision."
                + " With --expr, prints whether that one expression matches the request instead.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            " 0:the request would be allowed (or --expr is true)",
            " 1:the request would be blocked (or --expr is false)",
            " 2:invalid configuration, expression or command line"})
final class ExplainCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    private boolean help;

    @Mixin
    private ConfigOption config;

    @Option(names = "--ip", required = true, paramLabel = "ADDR", converter = AddressConverter.class,
            description = "The visitor's address, as Cloudflare sends it in CF-Connecting-IP.")
    private InetAddress ip;

    @Option(names = "--country", paramLabel = "CC",
            description = "The visitor's country code, as Cloudflare sends it in CF-IPCountry. Default: none.")
    private String country;

    @Option(names = "--method", paramLabel = "M", defaultValue = "GET", description = "Default: ${DEFAULT-VALUE}.")
    private String method;

    @Option(names = "--url", paramLabel = "URL",
            description = "https://plex.example.com/path?query, or /path?query. Default: /.")
    private String url;

    @Option(names = {"-A", "--user-agent"}, paramLabel = "UA", description = "The User-Agent header.")
    private String userAgent;

    @Option(names = {"-H", "--header"}, paramLabel = "'Name: value'",
            description = "A header the client sends; repeat for more.")
    private List<String> headers = new ArrayList<>();

    @Option(names = "--bot", negatable = true,
            description = "Make cf.client.bot true (--no-bot: false) whatever the user agent.")
    private Boolean bot;

    @Option(names = "--expr", paramLabel = "EXPR",
            description = "Only say whether this expression (Rules language) matches the request.")
    private String expression;

    @Override
    public Integer call() throws ConfigException {
        SimulatedRequest request = request();
        PlexgateConfig loaded = ConfigLoader.load(config.file());
        BotClassifier botOverride = bot == null ? null : forced(bot);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (ToolPolicy tool = ToolPolicy.load(loaded.policy(), botOverride)) {
            LoadedPolicy policy = tool.loaded();
            for (ConfigProblem warning : policy.warnings()) {
                err.println("warning: " + warning);
            }
            TunnelRequest received = tunnelRequest(request, loaded);
            for (Header header : received.ignored()) {
                err.println("note: -H " + header.name() + " ignored: Cloudflare and cloudflared set it themselves"
                        + " (use --ip, --country and the URL's scheme)");
            }
            if (expression != null) {
                return evaluate(received, policy, out, err);
            }
            Explanation explanation = Explainer.explain(received, policy.policy(), policy.ipLists(),
                    policy.botList(), bot);
            out.print(ExplanationText.render(explanation));
            return explanation.decision().blocks() ? 1 : 0;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private int evaluate(TunnelRequest received, LoadedPolicy policy, PrintWriter out, PrintWriter err) {
        CompiledExpression compiled;
        try {
            compiled = RulesCompiler.compile(expression, policy.context());
        } catch (RuleCompileException e) {
            err.println(e.render("--expr"));
            return CommandLine.ExitCode.USAGE;
        }
        boolean matches = compiled.matches(received.facts());
        out.println(matches);
        return matches ? 0 : 1;
    }

    private SimulatedRequest request() {
        try {
            List<Header> typed = headers.stream().map(Header::parse).toList();
            return new SimulatedRequest(ip, country, method, url, userAgent, typed);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private TunnelRequest tunnelRequest(SimulatedRequest request, PlexgateConfig loaded) {
        try {
            return TunnelRequest.of(request, loaded.proxy().trustedProxies(), loaded.proxy().clientIpHeader());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private static BotClassifier forced(boolean verdict) {
        return userAgent -> verdict;
    }

    static final class AddressConverter implements CommandLine.ITypeConverter<InetAddress> {

        @Override
        public InetAddress convert(String value) {
            InetAddress address = IpLiterals.tryParse(value);
            if (address == null) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not an IP address (expected: such as"
                        + " 203.0.113.7 or 2001:db8::7)");
            }
            return address;
        }
    }
}
