package dev.plexgate.control.allow;

import dev.plexgate.control.config.PolicyConfig;
import dev.plexgate.control.config.PolicyConfig.ListDefinition;
import dev.plexgate.control.config.PolicyConfig.ListKind;
import java.nio.file.Path;
import java.util.List;

/** Which IP list of plexgate.yml a command edits. */
public final class IpListChoice {

    /** The list the shipped configuration allows its friends with. */
    static final String USUAL = "friends";

    private IpListChoice() {
    }

    /**
     * The list named {@code requested}; without one, the only IP list, or {@code friends} among several.
     *
     * @param config names plexgate.yml in messages
     */
    public static ListDefinition choose(PolicyConfig policy, String requested, Path config) throws Refusal {
        List<ListDefinition> ipLists = policy.lists().values().stream()
                .filter(list -> list.kind() == ListKind.IP)
                .toList();
        List<String> names = ipLists.stream().map(ListDefinition::name).toList();
        if (requested != null) {
            return ipLists.stream().filter(list -> list.name().equals(requested)).findFirst()
                    .orElseThrow(() -> Refusal.invalid("no IP list named '" + requested + "' in " + config
                            + (names.isEmpty() ? ", which defines none" : " (IP lists: " + String.join(", ", names) + ")")));
        }
        if (ipLists.isEmpty()) {
            throw Refusal.invalid(config + " defines no IP list (expected under lists:, such as friends: allow.list)");
        }
        if (ipLists.size() == 1) {
            return ipLists.get(0);
        }
        return ipLists.stream().filter(list -> list.name().equals(USUAL)).findFirst()
                .orElseThrow(() -> Refusal.invalid(config + " defines several IP lists: " + String.join(", ", names)
                        + " (expected: --list NAME)"));
    }
}
