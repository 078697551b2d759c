package dev.plexgate.control.cli;

import dev.plexgate.control.config.ConfigException;
import dev.plexgate.control.config.ConfigLoader;
import dev.plexgate.control.config.ConfigProblem;
import dev.plexgate.control.config.LoadedPolicy;
import dev.plexgate.control.config.PlexgateConfig;
import dev.plexgate.control.config.PolicyConfig;
import dev.plexgate.control.config.PolicyConfig.ListDefinition;
import dev.plexgate.control.config.PolicyConfig.ListKind;
import dev.plexgate.control.config.PolicyLoader;
import dev.plexgate.proxy.policy.lists.HostRefresh;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code plexgate check}: everything {@code run} would load, loaded and judged, nothing started. */
@Command(name = "check",
        header = "Validate plexgate.yml and every file it names, and warn about what is probably not meant.",
        description = "Loads what `plexgate run` would: the configuration, the list files (resolving their host"
                + " names) and every rule. Prints each error and each warning (an empty allow-list, rules that"
                + " never match or are never reached, host names that do not resolve, Cloudflare-only actions),"
                + " then one summary line.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            " 0:valid, perhaps with warnings",
            " 1:valid but with warnings, and --strict given",
            " 2:invalid configuration or command line"})
final class CheckCommand implements Callable<Integer> {

    private static final int WARNINGS_WHEN_STRICT = 1;
    private static final int INVALID = 2;

    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    private boolean help;

    @Mixin
    private ConfigOption config;

    @Option(names = "--strict", description = "Exit 1 when there are warnings, for scripts and CI.")
    private boolean strict;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ScheduledExecutorService resolver = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "plexgate-dns");
            thread.setDaemon(true);
            return thread;
        });
        try {
            PlexgateConfig loaded = ConfigLoader.load(config.file());
            try (LoadedPolicy policy = PolicyLoader.load(loaded.policy(), new SimpleMeterRegistry(),
                    HostRefresh.system(resolver), null)) {
                List<ConfigProblem> all = new ArrayList<>(loaded.warnings());
                all.addAll(policy.warnings());
                for (ConfigProblem warning : all) {
                    err.println("warning: " + warning);
                }
                int warnings = all.size();
                boolean fails = strict && warnings > 0;
                String verdict = warnings == 0 ? "ok"
                        : (fails ? "not ok (--strict), " : "ok, ") + count(warnings, "warning", "warnings");
                err.flush();
                out.println(verdict + ": " + summary(loaded.policy(), policy));
                out.flush();
                return fails ? WARNINGS_WHEN_STRICT : 0;
            }
        } catch (ConfigException e) {
            for (ConfigProblem problem : e.problems()) {
                err.println("error: " + problem);
            }
            err.println("not ok: " + count(e.problems().size(), "error", "errors"));
            err.flush();
            return INVALID;
        } finally {
            resolver.shutdownNow();
        }
    }

    /** {@code 3 rules, 0 rate limits, 2 lists (friends: 1 entry, bots: 1506 patterns)}. */
    private static String summary(PolicyConfig config, LoadedPolicy policy) {
        List<String> lists = new ArrayList<>();
        for (ListDefinition list : config.lists().values()) {
            lists.add(list.name() + ": " + (list.kind() == ListKind.BOTS
                    ? count(policy.botList().patterns().size(), "pattern", "patterns")
                    : count(policy.ipLists().get(list.name()).file().entries().size(), "entry", "entries")));
        }
        return count(policy.policy().rules().size(), "rule", "rules") + ", "
                + count(policy.policy().rateLimitRules().size(), "rate limit", "rate limits") + ", "
                + count(lists.size(), "list", "lists") + (lists.isEmpty() ? "" : " (" + String.join(", ", lists) + ")");
    }

    private static String count(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}
