package dev.plexgate.control.export;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The export as Terraform configuration for version 4 of the Cloudflare provider: one
 * {@code cloudflare_list} per IP list and one {@code cloudflare_ruleset} per phase, with variables for the
 * ids that were not given.
 */
public final class TerraformExport {

    /** Terraform identifiers start with a letter or underscore; list names may start with a digit. */
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** The blocks below are version 4's schema; version 5 reshaped them into attributes. */
    private static final String PROVIDER = """
            terraform {
              required_providers {
                cloudflare = {
                  source  = "cloudflare/cloudflare"
                  version = "~> 4.0"
                }
              }
            }
            """;

    private TerraformExport() {
    }

    public static String render(EdgeExport export) {
        Hcl hcl = new Hcl().text(PROVIDER);
        Hcl.Raw zone = variable(hcl, "zone_id", export.target().zoneId(), "The zone of the public host name");
        Hcl.Raw account = export.lists().isEmpty() ? null
                : variable(hcl, "account_id", export.target().accountId(), "The account that owns the IP lists");

        List<String> listReferences = export.lists().stream().map(list -> "cloudflare_list." + resourceName(list.name()))
                .toList();
        for (EdgeList list : export.lists()) {
            Map<String, Object> attributes = new LinkedHashMap<>();
            attributes.put("account_id", account);
            attributes.put("name", list.name());
            attributes.put("kind", "ip");
            attributes.put("description", list.description());
            hcl.blankLine().open(0, "resource", "cloudflare_list", resourceName(list.name())).body(1, attributes);
            for (ListItem item : list.items()) {
                Map<String, Object> body = new LinkedHashMap<>();
                if (item.comment() != null) {
                    body.put("comment", item.comment());
                }
                body.put("value", Map.of("ip", item.ip()));
                hcl.open(1, "item").body(2, body).close(1);
            }
            hcl.close(0);
        }
        for (Ruleset ruleset : export.rulesets()) {
            Map<String, Object> attributes = new LinkedHashMap<>();
            attributes.put("zone_id", zone);
            attributes.put("name", ruleset.name());
            attributes.put("description", ruleset.body().get("description"));
            attributes.put("kind", "zone");
            attributes.put("phase", ruleset.phase());
            if (!listReferences.isEmpty() && !ruleset.phase().equals(EdgeExporter.CACHE_PHASE)) {
                // Cloudflare refuses a rule that names a list before the list exists.
                attributes.put("depends_on", new Hcl.Raw("[" + String.join(", ", listReferences) + "]"));
            }
            hcl.blankLine().open(0, "resource", "cloudflare_ruleset", "plexgate_" + ruleset.phase()).body(1, attributes);
            List<?> rules = (List<?>) ruleset.body().get("rules");
            if (!rules.isEmpty()) {
                hcl.blankLine().body(1, Map.of("rules", rules));
            }
            hcl.close(0);
        }
        return hcl.toString();
    }

    /** The id as a literal when given, else a variable declared here. */
    private static Hcl.Raw variable(Hcl hcl, String name, String given, String description) {
        if (given != null) {
            return new Hcl.Raw(Hcl.quote(given));
        }
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("type", new Hcl.Raw("string"));
        attributes.put("description", description);
        hcl.blankLine().open(0, "variable", name).body(1, attributes).close(0);
        return new Hcl.Raw("var." + name);
    }

    static String resourceName(String listName) {
        return IDENTIFIER.matcher(listName).matches() ? listName : "list_" + listName;
    }
}
