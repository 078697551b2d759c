package dev.plexgate.control.export;

import java.util.List;
import java.util.Objects;

/**
 * Everything {@code plexgate export cloudflare} prints, in the order it must be applied: the lists
 * first (rules that name a missing list are refused), then the rulesets.
 *
 * @param target         where it goes
 * @param lists          the IP lists rules refer to as {@code $name}
 * @param customRules    {@code http_request_firewall_custom}
 * @param rateLimitRules {@code http_ratelimit}
 * @param cacheRules     {@code http_request_cache_settings}, or null when {@code cache.bypass} is off
 * @param warnings       each place where the edge will behave differently from plexgate, one per item
 * @param notes          what the export cannot do itself, such as switching Bot Fight Mode on
 */
public record EdgeExport(ExportTarget target, List<EdgeList> lists, Ruleset customRules, Ruleset rateLimitRules,
        Ruleset cacheRules, List<String> warnings, List<String> notes) {

    public static final String ZONE_PLACEHOLDER = "{zone_id}";
    public static final String ACCOUNT_PLACEHOLDER = "{account_id}";

    public EdgeExport {
        Objects.requireNonNull(target, "target");
        lists = List.copyOf(lists);
        Objects.requireNonNull(customRules, "customRules");
        Objects.requireNonNull(rateLimitRules, "rateLimitRules");
        warnings = List.copyOf(warnings);
        notes = List.copyOf(notes);
    }

    /** The rulesets present, in order. */
    public List<Ruleset> rulesets() {
        return cacheRules == null ? List.of(customRules, rateLimitRules)
                : List.of(customRules, rateLimitRules, cacheRules);
    }

    public String zone() {
        return target.zoneId() != null ? target.zoneId() : ZONE_PLACEHOLDER;
    }

    public String account() {
        return target.accountId() != null ? target.accountId() : ACCOUNT_PLACEHOLDER;
    }

    /** {@code POST}: creates a list. */
    public String listsPath() {
        return "/accounts/" + account() + "/rules/lists";
    }

    /** {@code PUT}: replaces all items of the list whose id the create call returned. */
    public String itemsPath(EdgeList list) {
        return listsPath() + "/{" + list.name() + "_list_id}/items";
    }

    /** {@code PUT}: the zone's Bot Fight Mode setting. */
    public String botManagementPath() {
        return "/zones/" + zone() + "/bot_management";
    }
}
