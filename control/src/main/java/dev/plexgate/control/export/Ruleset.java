package dev.plexgate.control.export;

import java.util.Map;
import java.util.Objects;

/**
 * The entry point ruleset of one phase of a zone, as the body of
 * {@code PUT /zones/{zone_id}/rulesets/phases/<phase>/entrypoint}.
 *
 * @param phase the Cloudflare phase, such as {@code http_request_firewall_custom}
 * @param name  the ruleset's name (Terraform wants one)
 * @param body  the JSON body in Cloudflare's field order: {@code description}, {@code rules}; values are
 *              strings, numbers, booleans, lists and maps of these, maps in insertion order
 */
public record Ruleset(String phase, String name, Map<String, Object> body) {

    public Ruleset {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(body, "body");
    }

    /** The API path, with {@code zone} as given (an id or a placeholder). */
    public String path(String zone) {
        return "/zones/" + zone + "/rulesets/phases/" + phase + "/entrypoint";
    }
}
