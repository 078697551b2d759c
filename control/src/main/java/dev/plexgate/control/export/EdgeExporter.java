package dev.plexgate.control.export;

import dev.plexgate.proxy.policy.BlockResponse;
import dev.plexgate.proxy.policy.CustomRule;
import dev.plexgate.proxy.policy.RateLimitRule;
import dev.plexgate.proxy.policy.RuleAction;
import dev.plexgate.proxy.policy.SkipPhase;
import dev.plexgate.proxy.policy.lists.IpList;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Builds the {@link EdgeExport} of a loaded policy (RULES.md §9). */
public final class EdgeExporter {

    static final String CUSTOM_PHASE = "http_request_firewall_custom";
    static final String RATE_LIMIT_PHASE = "http_ratelimit";
    static final String CACHE_PHASE = "http_request_cache_settings";
    static final String BOT_FIELD = "cf.client.bot";

    /** Cloudflare counts per colo as well as per address; its API requires {@code cf.colo.id}. */
    static final List<String> CHARACTERISTICS = List.of("ip.src", "cf.colo.id");
    /** The values Cloudflare's rate limiting rules accept, in seconds. */
    static final Set<Long> PERIODS = Set.of(10L, 60L, 120L, 300L, 600L, 3600L);
    static final Set<Long> MITIGATION_TIMEOUTS = Set.of(0L, 10L, 60L, 120L, 300L, 600L, 3600L, 86400L);

    private final ExportSource source;
    private final ExportTarget target;
    private final List<String> warnings = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    private EdgeExporter(ExportSource source, ExportTarget target) {
        this.source = source;
        this.target = target;
    }

    public static EdgeExport export(ExportSource source, ExportTarget target) {
        return new EdgeExporter(source, target).export();
    }

    private EdgeExport export() {
        Ruleset custom = customRules();
        Ruleset rateLimits = rateLimitRules();
        Ruleset cache = source.cacheBypass() ? cacheRules() : null;
        List<EdgeList> lists = lists();
        if (source.botFightMode()) {
            notes.add("Bot Fight Mode is a zone setting, not a ruleset: turn it on with PUT /zones/"
                    + (target.zoneId() != null ? target.zoneId() : EdgeExport.ZONE_PLACEHOLDER)
                    + "/bot_management and the body {\"fight_mode\": true} (or Security > Bots in the dashboard);"
                    + " the edge judges bots by its own signals, plexgate by its user-agent list");
        }
        return new EdgeExport(target, lists, custom, rateLimits, cache, warnings, notes);
    }

    private Ruleset customRules() {
        List<Object> rules = new ArrayList<>();
        for (EdgeRule edgeRule : source.rules()) {
            CustomRule rule = edgeRule.rule();
            String at = "rule \"" + rule.name() + "\": ";
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("description", rule.name());
            json.put("expression", rule.expression().source());
            json.put("action", edgeRule.action());
            if (rule.action() == RuleAction.SKIP) {
                json.put("action_parameters", skipParameters(rule.skip()));
                // Skipped requests then show in Security Events, as the reference setup relies on.
                json.put("logging", Map.of("enabled", true));
            } else if (rule.action() == RuleAction.BLOCK && !edgeRule.action().equals(RuleAction.BLOCK.label())) {
                warnings.add(at + "action " + edgeRule.action() + " challenges at the edge; plexgate blocks with 403");
            } else if (rule.action() == RuleAction.BLOCK && !rule.block().equals(BlockResponse.DEFAULT)) {
                json.put("action_parameters", Map.of("response", response(rule.block(), rule.name())));
            } else if (rule.action() == RuleAction.LOG) {
                warnings.add(at + "action log is available at the edge on Enterprise plans only; elsewhere"
                        + " Cloudflare refuses the rule");
            }
            json.put("enabled", true);
            if (rule.expression().fields().contains(BOT_FIELD)) {
                warnings.add(at + botDifference());
            }
            rules.add(json);
        }
        return ruleset(CUSTOM_PHASE, "plexgate custom rules", rules);
    }

    private Ruleset rateLimitRules() {
        List<Object> rules = new ArrayList<>();
        for (RateLimitRule rule : source.rateLimitRules()) {
            String at = "rate limit \"" + rule.name() + "\": ";
            Map<String, Object> ratelimit = new LinkedHashMap<>();
            ratelimit.put("characteristics", CHARACTERISTICS);
            ratelimit.put("period", seconds(rule.limit().period(), PERIODS, at + "period"));
            ratelimit.put("requests_per_period", rule.limit().requestsPerPeriod());
            ratelimit.put("mitigation_timeout",
                    seconds(rule.limit().mitigationTimeout(), MITIGATION_TIMEOUTS, at + "mitigation_timeout"));
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("description", rule.name());
            json.put("expression", rule.expression().source());
            json.put("action", "block");
            json.put("action_parameters", Map.of("response", response(new BlockResponse(429, null, null), rule.name())));
            json.put("ratelimit", ratelimit);
            json.put("enabled", true);
            if (rule.expression().fields().contains(BOT_FIELD)) {
                warnings.add(at + botDifference());
            }
            rules.add(json);
        }
        return ruleset(RATE_LIMIT_PHASE, "plexgate rate limiting rules", rules);
    }

    private Ruleset cacheRules() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("description", "Bypass cache");
        // A host name is letters, digits, dots and hyphens (ExportTarget checks): nothing to escape.
        json.put("expression", target.hostname() != null ? "http.host eq \"" + target.hostname() + "\"" : "true");
        json.put("action", "set_cache_settings");
        json.put("action_parameters", Map.of("cache", false));
        json.put("enabled", true);
        return ruleset(CACHE_PHASE, "plexgate cache rules", List.of(json));
    }

    /** The lists rules refer to, in the order they are first named. */
    private List<EdgeList> lists() {
        Set<String> names = new LinkedHashSet<>();
        for (EdgeRule rule : source.rules()) {
            names.addAll(new TreeSet<>(rule.rule().expression().lists()));
        }
        for (RateLimitRule rule : source.rateLimitRules()) {
            names.addAll(new TreeSet<>(rule.expression().lists()));
        }
        List<EdgeList> lists = new ArrayList<>();
        for (String name : names) {
            IpList list = source.ipLists().get(name);
            if (list != null) {
                lists.add(ListItems.of(name, list, warnings::add));
            }
        }
        return lists;
    }

    private static Map<String, Object> skipParameters(Set<SkipPhase> skip) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        List<String> phases = new ArrayList<>();
        List<String> products = new ArrayList<>();
        for (SkipPhase phase : SkipPhase.values()) {
            if (!skip.contains(phase)) {
                continue;
            }
            switch (phase) {
                case CURRENT -> parameters.put("ruleset", "current");
                case RATE_LIMIT -> phases.add(RATE_LIMIT_PHASE);
                case SBFM -> phases.add("http_request_sbfm");
                case MANAGED -> phases.add("http_request_firewall_managed");
                default -> products.add(phase.word());
            }
        }
        if (!phases.isEmpty()) {
            parameters.put("phases", phases);
        }
        if (!products.isEmpty()) {
            parameters.put("products", products);
        }
        return parameters;
    }

    /**
     * The edge's answer. Cloudflare's custom response needs a body, so a block without configured content
     * gets the page plexgate itself shows, without the ray id the edge cannot fill in.
     */
    private static Map<String, Object> response(BlockResponse block, String rule) {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("status_code", block.status());
        if (block.content() != null) {
            response.put("content", block.content());
            response.put("content_type", block.contentType());
        } else {
            String status = HttpResponseStatus.valueOf(block.status()).toString();
            response.put("content", "<!DOCTYPE html>\n<html><head><title>" + status + "</title></head>\n<body><h1>"
                    + status + "</h1>\n<p>This request was blocked by the rule <b>" + html(rule) + "</b>.</p>\n"
                    + "<hr><p>plexgate</p></body></html>\n");
            response.put("content_type", "text/html");
        }
        return response;
    }

    private long seconds(Duration duration, Set<Long> accepted, String what) {
        long seconds = duration.toSeconds();
        if (duration.toNanosPart() != 0 || !accepted.contains(seconds)) {
            String given = BigDecimal.valueOf(duration.toMillis(), 3).stripTrailingZeros().toPlainString();
            warnings.add(what + " of " + given + "s: Cloudflare accepts only " + new TreeSet<>(accepted)
                    + " seconds, so it will refuse the rule");
        }
        return seconds;
    }

    private static String botDifference() {
        return BOT_FIELD + " means a verified good bot (search engines, monitors) at the edge; plexgate sets it"
                + " for user agents in its bots list, so the same rule matches different requests";
    }

    private static Ruleset ruleset(String phase, String description, List<Object> rules) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("description", description);
        body.put("rules", rules);
        return new Ruleset(phase, description, body);
    }

    private static String html(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
