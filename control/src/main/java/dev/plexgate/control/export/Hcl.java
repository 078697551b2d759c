package dev.plexgate.control.export;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes HCL the way {@code terraform fmt} lays it out: two-space indents, the attributes of a block first
 * with their {@code =} aligned, then its nested blocks. A map value becomes a nested block and a list of
 * maps a repeated block, which is how version 4 of the Cloudflare provider models {@code rules},
 * {@code action_parameters}, {@code ratelimit} and list items.
 */
final class Hcl {

    private final StringBuilder out = new StringBuilder();

    /** Opens {@code keyword "label" ... {}}; labels are quoted. */
    Hcl open(int depth, String keyword, String... labels) {
        indent(depth).append(keyword);
        for (String label : labels) {
            out.append(' ').append(quote(label));
        }
        out.append(" {\n");
        return this;
    }

    Hcl close(int depth) {
        indent(depth).append("}\n");
        return this;
    }

    /** Text written as is. */
    Hcl text(String text) {
        out.append(text);
        return this;
    }

    Hcl blankLine() {
        out.append('\n');
        return this;
    }

    /**
     * The entries of {@code body} at {@code depth}: scalars and lists of scalars as aligned attributes, then
     * maps and lists of maps as blocks. A {@link Raw} value is written as is (a reference such as
     * {@code var.zone_id}).
     */
    Hcl body(int depth, Map<String, ?> body) {
        List<Map.Entry<String, ?>> attributes = new ArrayList<>();
        List<Map.Entry<String, ?>> blocks = new ArrayList<>();
        for (Map.Entry<String, ?> entry : body.entrySet()) {
            (isBlock(entry.getValue()) ? blocks : attributes).add(entry);
        }
        int width = attributes.stream().mapToInt(entry -> entry.getKey().length()).max().orElse(0);
        for (Map.Entry<String, ?> attribute : attributes) {
            indent(depth).append(attribute.getKey()).append(" ".repeat(width - attribute.getKey().length()))
                    .append(" = ").append(value(attribute.getValue())).append('\n');
        }
        for (Map.Entry<String, ?> block : blocks) {
            List<?> repeated = block.getValue() instanceof List<?> list ? list : List.of(block.getValue());
            for (Object element : repeated) {
                open(depth, block.getKey());
                body(depth + 1, asMap(element));
                close(depth);
            }
        }
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }

    /** A value written without quotes: a reference or an expression. */
    record Raw(String text) {
    }

    /**
     * An HCL quoted string. Besides the JSON-like escapes, {@code ${} and {@code %{} start templates in
     * HCL and are doubled ({@code $${}) so they stay literal text, as in an expression's {@code $list}.
     */
    static String quote(String text) {
        StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean template = (c == '$' || c == '%') && i + 1 < text.length() && text.charAt(i + 1) == '{';
            if (template) {
                quoted.append(c).append(c);
            } else if (c == '"' || c == '\\') {
                quoted.append('\\').append(c);
            } else if (c == '\n') {
                quoted.append("\\n");
            } else if (c == '\r') {
                quoted.append("\\r");
            } else if (c == '\t') {
                quoted.append("\\t");
            } else if (c < 0x20 || c == 0x7F) {
                quoted.append(String.format("\\u%04X", (int) c));
            } else {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }

    private static boolean isBlock(Object value) {
        return value instanceof Map<?, ?> || value instanceof List<?> list && !list.isEmpty()
                && list.stream().allMatch(Map.class::isInstance);
    }

    private static String value(Object value) {
        if (value instanceof Raw raw) {
            return raw.text();
        }
        if (value instanceof String string) {
            return quote(string);
        }
        if (value instanceof Boolean || value instanceof Number) {
            return value.toString();
        }
        if (value instanceof List<?> list) {
            List<String> elements = list.stream().map(Hcl::value).toList();
            return "[" + String.join(", ", elements) + "]";
        }
        throw new IllegalArgumentException("not an HCL attribute value: " + value);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> asMap(Object value) {
        return (Map<String, ?>) value;
    }

    private StringBuilder indent(int depth) {
        return out.append("  ".repeat(depth));
    }
}
