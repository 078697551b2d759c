package dev.plexgate.control.export;

import java.util.Objects;

/**
 * One item of a Cloudflare IP list: {@code {"ip": "...", "comment": "..."}}.
 *
 * @param ip      an address or CIDR in the form Cloudflare stores (IPv6 compressed)
 * @param comment the allow-list entry's name, or null when the line has none
 */
public record ListItem(String ip, String comment) {

    public ListItem {
        Objects.requireNonNull(ip, "ip");
    }
}
