package dev.plexgate.control.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plexgate.proxy.policy.CustomRule;
import dev.plexgate.proxy.policy.IpLiterals;
import dev.plexgate.proxy.policy.RateLimitRule;
import dev.plexgate.proxy.policy.RuleAction;
import dev.plexgate.proxy.policy.lists.HostRefresh;
import dev.plexgate.proxy.policy.lists.IpList;
import dev.plexgate.proxy.policy.lists.IpListFile;
import dev.plexgate.proxy.policy.ratelimit.RateLimit;
import dev.plexgate.proxy.policy.rules.CompileContext;
import dev.plexgate.proxy.policy.rules.RulesCompiler;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Host-name entries, rate-limit values the edge refuses, and HCL quoting, without DNS. */
final class EdgeExporterTest {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void hostName_exportedAsItsCurrentAddresses_sayingSo() throws Exception {
        IpListFile file = IpListFile.parse(Path.of("allow.list"), "bob.dyn.example bob\n");
        HostRefresh fake = new HostRefresh(name -> List.of(IpLiterals.parse("203.0.113.9"), IpLiterals.parse("2001:db8::9")),
                scheduler, Duration.ofHours(1), Duration.ofSeconds(30));
        try (IpList list = IpList.create(file, fake)) {
            EdgeExport export = EdgeExporter.export(source(list), new ExportTarget(null, null, null));

            assertThat(export.lists().get(0).items())
                    .containsExactly(new ListItem("203.0.113.9", "bob"), new ListItem("2001:db8::/64", "bob"));
            assertThat(export.warnings()).containsExactly(
                    "list $friends (allow.list:1): host name bob.dyn.example exported as its current addresses"
                            + " 203.0.113.9, 2001:db8::9: Cloudflare lists cannot hold host names; export again when it"
                            + " changes",
                    "list $friends (allow.list:1): 2001:db8::9 is narrower than a Cloudflare list holds (IPv6 /64 at"
                            + " most): exported as 2001:db8::/64, so the edge admits that whole network");
        }
    }

    @Test
    void hostName_unresolved_omittedWithAWarning() throws Exception {
        IpListFile file = IpListFile.parse(Path.of("allow.list"), "gone.dyn.example alice\n203.0.113.7 bob\n");
        HostRefresh failing = new HostRefresh(name -> {
            throw new UnknownHostException(name);
        }, scheduler, Duration.ofHours(1), Duration.ofSeconds(30));
        try (IpList list = IpList.create(file, failing)) {
            EdgeExport export = EdgeExporter.export(source(list), new ExportTarget(null, null, null));

            assertThat(export.lists().get(0).items()).containsExactly(new ListItem("203.0.113.7", "bob"));
            assertThat(export.warnings()).containsExactly("list $friends (allow.list:1): host name gone.dyn.example does"
                    + " not resolve now: omitted, so the edge blocks what plexgate would admit once it resolves");
        }
    }

    @Test
    void rateLimit_periodTheEdgeRefuses_warned() throws Exception {
        IpList list = IpList.withoutResolving(IpListFile.parse(Path.of("allow.list"), "203.0.113.7 bob\n"));
        RateLimitRule odd = new RateLimitRule("Odd", RulesCompiler.compile("not ip.src in $friends", context(list)),
                new RateLimit(Duration.ofSeconds(90), 10, Duration.ofMillis(1500)));
        ExportSource source = new ExportSource(List.of(), List.of(odd), Map.of("friends", list), false, false);

        EdgeExport export = EdgeExporter.export(source, new ExportTarget(null, null, null));

        assertThat(export.warnings()).containsExactly(
                "rate limit \"Odd\": period of 90s: Cloudflare accepts only [10, 60, 120, 300, 600, 3600] seconds,"
                        + " so it will refuse the rule",
                "rate limit \"Odd\": mitigation_timeout of 1.5s: Cloudflare accepts only [0, 10, 60, 120, 300, 600,"
                        + " 3600, 86400] seconds, so it will refuse the rule");
        assertThat(export.cacheRules()).isNull();
    }

    @Test
    void hclQuote_escapesQuotesBackslashesControlsAndTemplates() {
        assertThat(Hcl.quote("a\"b\\c\nd\te\u0001 ${x} %{y} $z %w")).isEqualTo(
                "\"a\\\"b\\\\c\\nd\\te\\u0001 $${x} %%{y} $z %w\"");
    }

    private static ExportSource source(IpList list) throws Exception {
        CustomRule rule = new CustomRule("Restrict IPs", RulesCompiler.compile("not ip.src in $friends", context(list)),
                RuleAction.BLOCK, null, null);
        return new ExportSource(List.of(EdgeRule.of(rule)), List.of(), Map.of("friends", list), false, true);
    }

    private static CompileContext context(IpList list) {
        return new CompileContext(Map.of("friends", list), Set.of(), userAgent -> false);
    }
}
