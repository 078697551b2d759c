package dev.plexgate.control.config;

import dev.plexgate.proxy.policy.Policy;
import dev.plexgate.proxy.policy.lists.BotDetector;
import dev.plexgate.proxy.policy.lists.IpList;
import dev.plexgate.proxy.policy.rules.CompileContext;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link PolicyConfig} made real by {@link PolicyLoader}: its lists read, its expressions
 * compiled. Closing it stops refreshing the lists' host names; the policy keeps answering from
 * the last addresses, so close it only once the policy is no longer served.
 *
 * @param policy   what the proxy enforces
 * @param context  the lists and bot classifier the rules were compiled against, to compile more
 *                 expressions the same way ({@code plexgate explain --expr})
 * @param ipLists  the IP lists by name, in config order
 * @param botList  the list of kind bots, or null when there is none
 * @param warnings what is allowed but probably not meant, located in the file that says it
 */
public record LoadedPolicy(Policy policy, CompileContext context, Map<String, IpList> ipLists, BotDetector botList,
        List<ConfigProblem> warnings) implements AutoCloseable {

    public LoadedPolicy {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(context, "context");
        ipLists = Collections.unmodifiableMap(new LinkedHashMap<>(ipLists));
        warnings = List.copyOf(warnings);
    }

    @Override
    public void close() {
        ipLists.values().forEach(IpList::close);
    }
}
