package dev.plexgate.control.export;

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
    /** Letters, digits and hyphens in dot-separated labels: it is put in a quoted string as is. */
    private static final Pattern HOST_NAME = Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    public ExportTarget {
        check(zoneId, ID, "zone id", "32 lowercase hex digits");
        check(accountId, ID, "account id", "32 lowercase hex digits");
        check(hostname, HOST_NAME, "host name", "a name such as plex.example.com");
    }

    private static void check(String value, Pattern pattern, String what, String expected) {
        if (value != null && !pattern.matcher(value).matches()) {
            throw new IllegalArgumentException("'" + value + "' is not a " + what + " (expected: " + expected + ")");
        }
    }
}
