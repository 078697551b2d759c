package dev.plexgate.bench;

import dev.plexgate.proxy.policy.CustomRule;
import dev.plexgate.proxy.policy.Decision;
import dev.plexgate.proxy.policy.IpLiterals;
import dev.plexgate.proxy.policy.Policy;
import dev.plexgate.proxy.policy.RuleAction;
import dev.plexgate.proxy.policy.SkipPhase;
import dev.plexgate.proxy.policy.lists.BotDetector;
import dev.plexgate.proxy.policy.lists.IpList;
import dev.plexgate.proxy.policy.lists.IpListFile;
import dev.plexgate.proxy.policy.lists.PatternListFile;
import dev.plexgate.proxy.policy.rules.CompileContext;
import dev.plexgate.proxy.policy.rules.RequestFacts;
import dev.plexgate.proxy.policy.rules.RulesCompiler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One full policy decision as the proxy makes it per request: build the facts from a request
 * head, then run the default rules (the reference setup's three custom rules, or the bench's
 * bots-first order) against a 10,000-entry allow-list and the shipped bots list.
 * Run with {@code -prof gc} to see the allocation per decision (the facts only).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DecisionBenchmark {

    private static final String CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
            + "(KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";

    /** reference: skip friends, block the rest, block bots; bench: block bots, then block non-friends. */
    @Param({"reference", "bench"})
    public String rules;

    /** The visitor: a friend in the middle of the list, or a stranger. */
    @Param({"friend", "stranger"})
    public String visitor;

    private Policy policy;
    private InetAddress client;
    private RequestFacts prebuilt;

    @Setup
    public void setUp() throws Exception {
        StringBuilder allow = new StringBuilder();
        Random random = new Random(1);
        for (int i = 0; i < 10_000; i++) {
            switch (i % 3) {
                case 0 -> allow.append(random.nextInt(200) + 1).append('.').append(random.nextInt(256)).append('.')
                        .append(random.nextInt(256)).append('.').append(random.nextInt(256));
                case 1 -> allow.append(random.nextInt(200) + 1).append('.').append(random.nextInt(256)).append('.')
                        .append(random.nextInt(256)).append(".0/24");
                default -> allow.append("2001:db8:").append(Integer.toHexString(random.nextInt(65536))).append(':')
                        .append(Integer.toHexString(random.nextInt(65536))).append("::/64");
            }
            allow.append(" friend").append(i).append('\n');
        }
        allow.append("203.0.113.7 bob\n");
        IpList friends = IpList.withoutResolving(IpListFile.parse(Path.of("allow.list"), allow.toString()));
        Path botsFile = Path.of(System.getProperty("plexgate.bots", "conf/bots.list"));
        BotDetector bots = BotDetector.create(PatternListFile.read(botsFile));
        CompileContext context = new CompileContext(Map.of("friends", friends), Set.of("bots"), bots);

        CustomRule skip = new CustomRule("Allow IPs to skip WAF", RulesCompiler.compile("ip.src in $friends", context),
                RuleAction.SKIP, null, Set.of(SkipPhase.CURRENT, SkipPhase.RATE_LIMIT, SkipPhase.SBFM));
        CustomRule restrict = new CustomRule("Restrict IPs", RulesCompiler.compile("not ip.src in $friends", context),
                RuleAction.BLOCK, null, null);
        CustomRule blockBots = new CustomRule("Block bots", RulesCompiler.compile("cf.client.bot", context),
                RuleAction.BLOCK, null, null);
        List<CustomRule> order = rules.equals("reference") ? List.of(skip, restrict, blockBots)
                : List.of(blockBots, restrict);
        policy = new Policy(order, List.of(), true, bots, new SimpleMeterRegistry());
        client = IpLiterals.parse(visitor.equals("friend") ? "203.0.113.7" : "198.51.100.9");
        prebuilt = facts();
    }

    /** The decision alone, on facts built once: shows that deciding itself allocates nothing. */
    @Benchmark
    public Decision decideOnly() {
        return policy.decide(prebuilt);
    }

    @Benchmark
    public Decision decide() {
        return policy.decide(facts());
    }

    private RequestFacts facts() {
        return RequestFacts.builder(client)
                .method("GET")
                .uri("/library/sections/1/all?type=1")
                .host("plex.example.com")
                .userAgent(CHROME)
                .ssl(true)
                .build();
    }
}
