package dev.plexgate.proxy.policy.rules;

import dev.plexgate.proxy.policy.Cidr;
import dev.plexgate.proxy.policy.IpMatcher;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The lists and bot classifier the conformance cases are written against. */
final class TestContexts {

    /** {@code $friends}: 198.51.100.0/24, 203.0.113.7 and 2001:db8:1::/48. */
    static final IpMatcher FRIENDS = cidrs("198.51.100.0/24", "203.0.113.7", "2001:db8:1::/48");

    /**
     * {@code $friends} and {@code $empty} (no entries) as IP lists, {@code bots} as a pattern list, and
     * a classifier calling any user agent that contains "bot" (any case) or "curl-scanner" a bot.
     */
    static final CompileContext STANDARD = new CompileContext(
            Map.of("friends", FRIENDS, "empty", address -> false), Set.of("bots"),
            userAgent -> userAgent.toLowerCase(Locale.ROOT).contains("bot") || userAgent.contains("curl-scanner"));

    private TestContexts() {
    }

    static IpMatcher cidrs(String... entries) {
        List<Cidr> cidrs = java.util.Arrays.stream(entries).map(Cidr::parse).toList();
        return address -> cidrs.stream().anyMatch(cidr -> cidr.contains(address));
    }
}
