package dev.plexgate.control.explain;

import dev.plexgate.control.explain.Explanation.Listing;
import dev.plexgate.control.explain.Explanation.RateLimitVerdict;
import dev.plexgate.control.explain.Explanation.RuleVerdict;
import dev.plexgate.control.explain.Explanation.Step;
import dev.plexgate.control.explain.SimulatedRequest.Header;
import dev.plexgate.proxy.policy.CustomRule;
import dev.plexgate.proxy.policy.Decision;
import dev.plexgate.proxy.policy.ratelimit.RateLimit;
import io.netty.util.NetUtil;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/** An {@link Explanation} as a person reads it: the request, each phase's verdicts, then the decision. */
public final class ExplanationText {

    private static final String NL = System.lineSeparator();

    private ExplanationText() {
    }

    public static String render(Explanation explanation) {
        StringBuilder out = new StringBuilder();
        TunnelRequest request = explanation.request();
        out.append("request     ").append(request.requestLine()).append(NL);
        for (Header header : request.headers()) {
            out.append("            ").append(header.name()).append(": ").append(header.value()).append(NL);
        }
        out.append("client      ").append(NetUtil.toAddressString(request.client().address()))
                .append(request.client().country().isEmpty() ? "" : ", country " + request.client().country())
                .append(request.client().https() ? ", HTTPS" : ", HTTP").append(NL);
        for (Listing listing : explanation.listings()) {
            out.append("  $").append(listing.list()).append(": ").append(listing.entry() == null ? "not listed"
                    : "listed at " + listing.entry() + (listing.name() == null ? "" : " (" + listing.name() + ")"))
                    .append(NL);
        }
        out.append("bot         cf.client.bot ").append(explanation.bot().bot())
                .append(explanation.bot().reason() == null ? "" : ": " + explanation.bot().reason()).append(NL);

        out.append(NL).append("custom rules").append(NL);
        List<RuleVerdict> rules = explanation.rules();
        if (rules.isEmpty()) {
            out.append("  (none)").append(NL);
        }
        int width = rules.stream().mapToInt(verdict -> verdict.rule().name().length()).max().orElse(0);
        for (int i = 0; i < rules.size(); i++) {
            CustomRule rule = rules.get(i).rule();
            out.append(String.format("  %d. %-" + width + "s  %-5s  %s", i + 1, rule.name(), rule.action().label(),
                    customVerdict(rule, rules.get(i).step()))).append(NL);
        }

        out.append(NL).append("rate limiting rules (whether each counts the request; counts are not simulated)")
                .append(NL);
        if (explanation.rateLimits().isEmpty()) {
            out.append("  (none)").append(NL);
        }
        for (RateLimitVerdict verdict : explanation.rateLimits()) {
            out.append("  ").append(verdict.rule().name()).append("  ").append(rateLimitVerdict(verdict)).append(NL);
        }

        out.append(NL).append("Bot Fight Mode  ").append(botFightVerdict(explanation.botFightMode())).append(NL);
        out.append(NL).append("decision    ").append(decision(explanation.decision())).append(NL);
        return out.toString();
    }

    private static String customVerdict(CustomRule rule, Step step) {
        return switch (step.verdict()) {
            case NOT_REACHED -> "not reached (blocked by \"" + step.cause() + "\")";
            case SKIPPED -> "not reached (skipped by \"" + step.cause() + "\")";
            case NO_MATCH -> "no match";
            default -> "match" + switch (rule.action()) {
                case BLOCK -> ": blocks with " + rule.block().status();
                case LOG -> ": logged, evaluation goes on";
                case SKIP -> ": skips " + skipped(rule);
            };
        };
    }

    private static String skipped(CustomRule rule) {
        return rule.skip().stream().sorted().map(phase -> switch (phase) {
            case CURRENT -> "the remaining custom rules";
            case RATE_LIMIT -> "rate limiting";
            case SBFM -> "Bot Fight Mode";
            default -> phase.word() + " (at the edge only)";
        }).collect(Collectors.joining(", "));
    }

    private static String rateLimitVerdict(RateLimitVerdict verdict) {
        Step step = verdict.step();
        RateLimit limit = verdict.rule().limit();
        return switch (step.verdict()) {
            case NOT_REACHED -> "not reached (blocked by \"" + step.cause() + "\")";
            case SKIPPED -> "skipped by \"" + step.cause() + "\"";
            case NO_MATCH -> "no match: not counted";
            default -> "match: counted, blocks with 429 past " + limit.requestsPerPeriod() + " requests per "
                    + duration(limit.period()) + " from one client";
        };
    }

    private static String botFightVerdict(Step step) {
        return switch (step.verdict()) {
            case OFF -> "off";
            case NOT_REACHED -> "not reached (blocked by \"" + step.cause() + "\")";
            case SKIPPED -> "skipped by \"" + step.cause() + "\"";
            case NO_MATCH -> "on: not a bot";
            case MATCH -> "on: a known bot, blocks with 403";
        };
    }

    private static String decision(Decision decision) {
        if (decision.blocks()) {
            return "blocked by \"" + decision.rule() + "\": the visitor gets " + decision.response().status()
                    + (decision.retryAfterSeconds() > 0 ? " (Retry-After: " + decision.retryAfterSeconds() + ")" : "");
        }
        String recorded = decision.recorded()
                ? " (security event: " + decision.action().label() + " by \"" + decision.rule() + "\")" : "";
        return "allowed: forwarded to Plex" + recorded;
    }

    private static String duration(Duration duration) {
        long seconds = duration.toSeconds();
        return seconds % 3600 == 0 ? seconds / 3600 + "h" : seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
    }
}
