package dev.plexgate.control.export;

import dev.plexgate.proxy.policy.HostNames;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Where the export goes. Absent ids become placeholders ({@code {zone_id}} in paths, {@code var.zone_id}
 * in Terraform) so the output is still complete.
 *
 * @param zoneId    the zone of the public host name, or null
 * @param accountId the account that owns the lists, or null
 * @param hostname  the tunnel's public host name for the cache rule, or null for every request of the zone
 */
public record ExportTarget(String zoneId, String accountId, String hostname) {

    /** Cloudflare's zone and account ids: 32 hex digits. */
    private static final Pattern ID = Pattern.compile("[0-9a-f]{32}");

    public ExportTarget {
        check(zoneId, ID.asMatchPredicate(), "zone id", "32 lowercase hex digits");
        check(accountId, ID.asMatchPredicate(), "account id", "32 lowercase hex digits");
        // Letters, digits, hyphens and dots only: it is put in a quoted string as is.
        check(hostname, HostNames::isValid, "host name", "a name such as plex.example.com");
    }

    private static void check(String value, Predicate<String> valid, String what, String expected) {
        if (value != null && !valid.test(value)) {
            throw new IllegalArgumentException("'" + value + "' is not a " + what + " (expected: " + expected + ")");
        }
    }
}
