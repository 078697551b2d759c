package dev.plexgate.control.export;

import dev.plexgate.proxy.policy.RateLimitRule;
import dev.plexgate.proxy.policy.lists.IpList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What is exported: the loaded policy.
 *
 * @param rules          custom rules, in order
 * @param rateLimitRules rate-limiting rules, in order
 * @param ipLists        every configured IP list by name; only those a rule refers to are exported
 * @param botFightMode   Bot Fight Mode is on
 * @param cacheBypass    {@code cache.bypass}: the edge gets the "Bypass cache" rule
 */
public record ExportSource(List<EdgeRule> rules, List<RateLimitRule> rateLimitRules, Map<String, IpList> ipLists,
        boolean botFightMode, boolean cacheBypass) {

    public ExportSource {
        rules = List.copyOf(rules);
        rateLimitRules = List.copyOf(rateLimitRules);
        ipLists = new LinkedHashMap<>(ipLists);
    }
}
