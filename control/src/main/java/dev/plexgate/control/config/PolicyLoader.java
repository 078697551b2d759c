package dev.plexgate.control.config;

import dev.plexgate.control.config.PolicyConfig.ListDefinition;
import dev.plexgate.control.config.PolicyConfig.ListKind;
import dev.plexgate.control.config.PolicyConfig.RateLimitDefinition;
import dev.plexgate.control.config.PolicyConfig.RuleDefinition;
import dev.plexgate.proxy.policy.BotClassifier;
import dev.plexgate.proxy.policy.ClientNamer;
import dev.plexgate.proxy.policy.CustomRule;
import dev.plexgate.proxy.policy.IpMatcher;
import dev.plexgate.proxy.policy.Policy;
import dev.plexgate.proxy.policy.RateLimitRule;
import dev.plexgate.proxy.policy.lists.BotDetector;
import dev.plexgate.proxy.policy.lists.HostRefresh;
import dev.plexgate.proxy.policy.lists.IpList;
import dev.plexgate.proxy.policy.lists.IpListFile;
import dev.plexgate.proxy.policy.lists.ListException;
import dev.plexgate.proxy.policy.lists.ListProblem;
import dev.plexgate.proxy.policy.lists.PatternListFile;
import dev.plexgate.proxy.policy.rules.CompileContext;
import dev.plexgate.proxy.policy.rules.CompiledExpression;
import dev.plexgate.proxy.policy.rules.RuleCompileException;
import dev.plexgate.proxy.policy.rules.RuleError;
import dev.plexgate.proxy.policy.rules.RulesCompiler;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the {@link Policy} of a {@link PolicyConfig}: reads every list file, compiles every
 * expression against them, and finds what is allowed but probably not meant. Everything wrong is
 * reported at once, list file problems at their line in the list, expression problems at their
 * position in {@code plexgate.yml}.
 */
public final class PolicyLoader {

    private PolicyLoader() {
    }

    /**
     * @param registry    where the policy's meters go
     * @param refresh     how host-name entries of IP lists are resolved; null for not at all (they then match
     *                    nothing), for tools that must not touch DNS
     * @param botOverride decides {@code cf.client.bot} and Bot Fight Mode instead of the bots list
     *                    ({@code plexgate explain --bot}); null for the list's verdict
     * @throws ConfigException with every problem in the list files and expressions
     */
    public static LoadedPolicy load(PolicyConfig config, MeterRegistry registry, HostRefresh refresh,
            BotClassifier botOverride) throws ConfigException {
        List<ConfigProblem> errors = new ArrayList<>();
        List<ConfigProblem> warnings = new ArrayList<>();
        Map<String, IpListFile> ipFiles = new LinkedHashMap<>();
        PatternListFile botFile = null;
        for (ListDefinition list : config.lists().values()) {
            try {
                if (list.kind() == ListKind.IP) {
                    IpListFile file = IpListFile.read(list.file());
                    ipFiles.put(list.name(), file);
                    file.warnings().forEach(problem -> warnings.add(listProblem(problem, list)));
                } else {
                    botFile = PatternListFile.read(list.file());
                    botFile.warnings().forEach(problem -> warnings.add(listProblem(problem, list)));
                }
            } catch (ListException e) {
                e.problems().forEach(problem -> errors.add(listProblem(problem, list)));
            }
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        Map<String, IpList> ipLists = new LinkedHashMap<>();
        ipFiles.forEach((name, file) -> ipLists.put(name,
                refresh == null ? IpList.withoutResolving(file) : IpList.create(file, refresh)));
        try {
            BotDetector botList = botFile == null ? null : BotDetector.create(botFile);
            BotClassifier bots = botOverride != null ? botOverride
                    : botList != null ? botList
                    : userAgent -> false;
            CompileContext context = new CompileContext(Map.copyOf(ipLists), botFile == null ? Set.of()
                    : Set.of(config.botList().name()), bots);
            Policy policy = build(config, context, registry, errors);
            if (!errors.isEmpty()) {
                throw new ConfigException(errors);
            }
            warnings.addAll(PolicyWarnings.find(config, policy, ipLists, botList != null || botOverride != null));
            if (refresh != null) {
                warnings.addAll(unresolvedHosts(ipLists, refresh));
            }
            return new LoadedPolicy(policy, context, ipLists, botList, warnings);
        } catch (ConfigException | RuntimeException e) {
            ipLists.values().forEach(IpList::close);
            throw e;
        }
    }

    /** The policy, or null when an expression has errors (added to {@code errors}). */
    private static Policy build(PolicyConfig config, CompileContext context, MeterRegistry registry,
            List<ConfigProblem> errors) {
        List<CustomRule> rules = new ArrayList<>();
        for (int i = 0; i < config.rules().size(); i++) {
            RuleDefinition rule = config.rules().get(i);
            CompiledExpression expression = compile(rule.expression(), "rules[" + i + "].expression", context, errors);
            if (expression != null) {
                rules.add(new CustomRule(rule.name(), expression, rule.action().local(), rule.block(), rule.skip()));
            }
        }
        List<RateLimitRule> rateLimits = new ArrayList<>();
        for (int i = 0; i < config.rateLimits().size(); i++) {
            RateLimitDefinition rateLimit = config.rateLimits().get(i);
            CompiledExpression expression =
                    compile(rateLimit.expression(), "rate_limits[" + i + "].expression", context, errors);
            if (expression != null) {
                rateLimits.add(new RateLimitRule(rateLimit.name(), expression, rateLimit.limit()));
            }
        }
        return errors.isEmpty() ? new Policy(rules, rateLimits, config.botFightMode(), context.bots(), registry,
                clientNamer(context.ipLists().values())) : null;
    }

    /** A client's metric label: the name of the first named IP-list entry covering it. */
    private static ClientNamer clientNamer(Collection<IpMatcher> lists) {
        List<IpList> named = new ArrayList<>();
        for (IpMatcher list : lists) {
            if (list instanceof IpList ipList) {
                named.add(ipList);
            }
        }
        return address -> {
            for (IpList list : named) {
                String name = list.nameFor(address);
                if (name != null) {
                    return name;
                }
            }
            return null;
        };
    }

    /** The compiled expression, or null when it has errors (added, located in the config file). */
    private static CompiledExpression compile(ExpressionSource source, String key, CompileContext context,
            List<ConfigProblem> errors) {
        try {
            return RulesCompiler.compile(source.text(), context);
        } catch (RuleCompileException e) {
            for (RuleError error : e.errors()) {
                // The first line is placed in plexgate.yml; the rule's own line and carets follow, as wirefilter prints them.
                String rendered = error.render(key);
                String carets = rendered.substring(rendered.indexOf('\n'));
                errors.add(source.locate(error.line(), error.column()).problem(key + ": " + error.message() + carets));
            }
            return null;
        }
    }

    /**
     * A list file's problem at its own line; one about the file as a whole (it cannot be read) at the
     * entry of {@code lists} that names it.
     */
    private static ConfigProblem listProblem(ListProblem problem, ListDefinition list) {
        if (problem.line() == 0) {
            return list.at().problem("lists." + list.name() + ": " + problem.file() + ": " + problem.message()
                    + (problem.message().contains("(expected: ") ? "" : " (expected: a readable list file)"));
        }
        return new ConfigProblem(problem.file(), problem.line(), problem.column(), problem.message());
    }

    /** Host names without addresses once {@link IpList#create} has waited for them. */
    private static List<ConfigProblem> unresolvedHosts(Map<String, IpList> ipLists, HostRefresh refresh) {
        List<ConfigProblem> warnings = new ArrayList<>();
        ipLists.forEach((name, list) -> list.hosts().forEach(host -> {
            String problem = host.failure() != null ? "does not resolve (" + host.failure() + ")"
                    : !host.attempted() ? "has not resolved yet" : null;
            if (problem != null) {
                warnings.add(new ConfigProblem(list.file().file(), host.entry().line(), 1, "host name "
                        + host.entry().hostName() + " " + problem + "; until it does it matches nothing"
                        + " (expected: a name this machine resolves, checked again every "
                        + refresh.interval().toSeconds() + "s)"));
            }
        }));
        return warnings;
    }
}
