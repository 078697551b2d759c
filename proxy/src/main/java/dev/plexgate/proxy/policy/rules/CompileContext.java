package dev.plexgate.proxy.policy.rules;

import dev.plexgate.proxy.policy.BotClassifier;
import dev.plexgate.proxy.policy.IpMatcher;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What an expression may refer to besides the fixed fields: the configured lists by name, and the
 * classifier behind {@code cf.client.bot}.
 *
 * @param ipLists      lists usable as {@code ip.src in $name}
 * @param patternLists names of the other lists (user-agent patterns such as {@code bots}); they exist but
 *                     cannot follow {@code in}, so naming one gets a precise error instead of "unknown list"
 * @param bots         consulted lazily, only by rules that read {@code cf.client.bot}
 */
public record CompileContext(Map<String, IpMatcher> ipLists, Set<String> patternLists, BotClassifier bots) {

    public CompileContext {
        ipLists = Map.copyOf(ipLists);
        patternLists = Set.copyOf(patternLists);
        Objects.requireNonNull(bots, "bots");
    }
}
