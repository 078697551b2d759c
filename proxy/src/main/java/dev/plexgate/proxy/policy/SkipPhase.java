package dev.plexgate.proxy.policy;

import java.util.Locale;

/**
 * What a {@code skip} rule may skip, named as in Cloudflare's skip options (RULES.md §8). The
 * phases plexgate runs itself have an effect here; {@code managed} and the products only matter
 * at the edge and are carried for the export.
 */
public enum SkipPhase {
    /** The remaining custom rules ({@code "ruleset": "current"}). */
    CURRENT("current", true),
    /** Rate-limiting rules ({@code http_ratelimit}). */
    RATE_LIMIT("rate_limit", true),
    /** Bot Fight Mode ({@code http_request_sbfm}). */
    SBFM("sbfm", true),
    /** Managed rules ({@code http_request_firewall_managed}): none run locally. */
    MANAGED("managed", false),
    ZONE_LOCKDOWN("zoneLockdown", false),
    UA_BLOCK("uaBlock", false),
    BIC("bic", false),
    HOT("hot", false),
    SECURITY_LEVEL("securityLevel", false),
    RATE_LIMIT_PRODUCT("rateLimit", false),
    WAF("waf", false);

    private final String word;
    private final boolean local;

    SkipPhase(String word, boolean local) {
        this.word = word;
        this.local = local;
    }

    /** The word in plexgate.yml and in Cloudflare's API. */
    public String word() {
        return word;
    }

    /** Whether skipping it changes what plexgate itself does (false: edge only). */
    public boolean local() {
        return local;
    }

    /** The phase named {@code word}, or null. */
    public static SkipPhase byWord(String word) {
        for (SkipPhase phase : values()) {
            if (phase.word.equals(word) || phase.word.toLowerCase(Locale.ROOT).equals(word)) {
                return phase;
            }
        }
        return null;
    }
}
