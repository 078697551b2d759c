package dev.plexgate.proxy.policy;

import io.micrometer.core.instrument.Counter;

/**
 * The outcome of the policy for one request. Every decision but a rate-limit block is built once
 * per config load and shared, so deciding allocates nothing; the counter behind
 * {@code plexgate_requests_total{action,rule}} travels with it.
 */
public final class Decision {

    private final RuleAction action;
    private final String rule;
    private final BlockResponse response;
    private final long retryAfterSeconds;
    private final Counter counter;

    Decision(RuleAction action, String rule, BlockResponse response, long retryAfterSeconds, Counter counter) {
        this.action = action;
        this.rule = rule;
        this.response = response;
        this.retryAfterSeconds = retryAfterSeconds;
        this.counter = counter;
    }

    /** The action of the rule that decided, or null when no rule matched. */
    public RuleAction action() {
        return action;
    }

    /** The name of the rule that decided ({@code ""} when none did). */
    public String rule() {
        return rule;
    }

    /** True when the request must be answered with {@link #response()} and never reach Plex. */
    public boolean blocks() {
        return action == RuleAction.BLOCK;
    }

    /** True when the request matched a block, skip or log rule: it gets one security event. */
    public boolean recorded() {
        return action != null;
    }

    public BlockResponse response() {
        return response;
    }

    /** Seconds for {@code Retry-After} on a rate-limit block; 0 otherwise. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** Counts this request in {@code plexgate_requests_total}. */
    public void count() {
        counter.increment();
    }

    @Override
    public String toString() {
        return action == null ? "allow" : action.label() + " by \"" + rule + "\"";
    }
}
