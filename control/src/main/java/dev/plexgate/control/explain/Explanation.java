package dev.plexgate.control.explain;

import dev.plexgate.proxy.policy.CustomRule;
import dev.plexgate.proxy.policy.Decision;
import dev.plexgate.proxy.policy.RateLimitRule;
import java.util.List;

/**
 * What the policy made of one request, step by step (DESIGN §3.3).
 *
 * @param request        the request as the proxy received it
 * @param listings       which IP lists hold the client, and under which entry
 * @param bot            the {@code cf.client.bot} verdict and why
 * @param rules          each custom rule's verdict, in order
 * @param rateLimits     each rate-limiting rule's verdict, in order
 * @param botFightMode   what Bot Fight Mode did
 * @param decision       the policy's own decision for the request
 */
public record Explanation(TunnelRequest request, List<Listing> listings, BotVerdict bot, List<RuleVerdict> rules,
        List<RateLimitVerdict> rateLimits, Step botFightMode, Decision decision) {

    public Explanation {
        listings = List.copyOf(listings);
        rules = List.copyOf(rules);
        rateLimits = List.copyOf(rateLimits);
    }

    /** How far evaluation got with a rule or phase. */
    public enum Verdict {
        MATCH, NO_MATCH, NOT_REACHED, SKIPPED, OFF
    }

    /**
     * One step's verdict.
     *
     * @param verdict what happened
     * @param cause   the rule that ended evaluation or skipped this step, or null
     */
    public record Step(Verdict verdict, String cause) {
    }

    public record RuleVerdict(CustomRule rule, Step step) {
    }

    public record RateLimitVerdict(RateLimitRule rule, Step step) {
    }

    /**
     * Whether an IP list holds the client.
     *
     * @param list  the list's name
     * @param entry the narrowest entry that covers the client, as written in its file with its line, or null
     * @param name  the name that labels the client's traffic, or null
     */
    public record Listing(String list, String entry, String name) {
    }

    /**
     * {@code cf.client.bot} for this request.
     *
     * @param bot    the verdict
     * @param reason what decided it: {@code --bot}/{@code --no-bot}, the bots list pattern that matched, or null
     */
    public record BotVerdict(boolean bot, String reason) {
    }
}
