package dev.plexgate.control.export;

import java.util.List;
import java.util.Objects;

/**
 * An account-level IP list as Cloudflare gets it, referred to by rules as {@code $name}.
 *
 * @param name        the list's name in plexgate.yml and at Cloudflare
 * @param description where it came from
 * @param items       what it holds, without duplicates
 */
public record EdgeList(String name, String description, List<ListItem> items) {

    public EdgeList {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        items = List.copyOf(items);
    }
}
