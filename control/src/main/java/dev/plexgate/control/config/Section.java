package dev.plexgate.control.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One mapping of the file with the keys it may hold. Unknown and repeated keys are reported when
 * the section is opened; values are parsed on request, and a bad one is reported at its own
 * position while the section's fallback stands in, so that binding goes on and finds the rest.
 */
final class Section {

    private final String path;
    private final YamlNode node;
    private final Map<String, YamlNode.Entry> entries = new LinkedHashMap<>();
    private final Problems problems;

    private Section(YamlNode node, String path, List<String> keys, Problems problems) {
        this.path = path;
        this.node = node;
        this.problems = problems;
        if (node instanceof YamlNode.Mapping mapping) {
            for (YamlNode.Entry entry : mapping.entries()) {
                accept(entry, keys);
            }
        } else if (node != null && !(node instanceof YamlNode.Scalar scalar && scalar.isEmpty())) {
            // An empty value is an empty section: the usual result of commenting out every key in it.
            problems.add(node, (path.isEmpty() ? "the file" : path) + ": " + node.describe()
                    + " is not a mapping (expected: keys such as " + String.join(", ", keys) + ")");
        }
    }

    /** The top level of a document. */
    static Section root(YamlNode node, List<String> keys, Problems problems) {
        return new Section(node, "", keys, problems);
    }

    /** A mapping found elsewhere than under a known key, such as a list's {@code name: {file: ...}}. */
    static Section at(YamlNode node, String path, List<String> keys, Problems problems) {
        return new Section(node, path, keys, problems);
    }

    /** A nested section; absent or empty means every key at its default. */
    Section section(String key, List<String> keys) {
        YamlNode.Entry entry = entries.get(key);
        return new Section(entry == null ? null : entry.value(), qualified(key), keys, problems);
    }

    /**
     * One section per item of the list at {@code key}, each with the keys it may hold; an item that
     * is not a mapping is reported. Absent or empty means no items.
     */
    List<Section> sections(String key, List<String> keys) {
        YamlNode.Entry entry = entries.get(key);
        if (entry == null || entry.value() instanceof YamlNode.Scalar scalar && scalar.isEmpty()) {
            return List.of();
        }
        if (!(entry.value() instanceof YamlNode.Sequence sequence)) {
            problems.add(entry.value(), qualified(key) + ": " + entry.value().describe()
                    + " is not a list (expected: a list, one \"- " + keys.get(0) + ": ...\" per item)");
            return List.of();
        }
        List<Section> items = new ArrayList<>();
        for (int i = 0; i < sequence.items().size(); i++) {
            YamlNode item = sequence.items().get(i);
            items.add(new Section(item, qualified(key) + "[" + i + "]", keys, problems));
        }
        return items;
    }

    /**
     * The entries of the mapping at {@code key}, whose keys are names the user chooses rather than
     * known ones; a repeated name is reported and left out. Absent or empty means none.
     */
    List<YamlNode.Entry> namedEntries(String key, String expected) {
        YamlNode.Entry entry = entries.get(key);
        if (entry == null || entry.value() instanceof YamlNode.Scalar scalar && scalar.isEmpty()) {
            return List.of();
        }
        if (!(entry.value() instanceof YamlNode.Mapping mapping)) {
            problems.add(entry.value(), qualified(key) + ": " + entry.value().describe()
                    + " is not a mapping (expected: " + expected + ")");
            return List.of();
        }
        Map<String, YamlNode.Entry> named = new LinkedHashMap<>();
        for (YamlNode.Entry item : mapping.entries()) {
            YamlNode.Entry first = named.putIfAbsent(item.key(), item);
            if (first != null) {
                problems.add(item.line(), item.column(), qualified(key) + "." + item.key()
                        + ": repeated key, first set on line " + first.line() + " (expected: each key once)");
            }
        }
        return List.copyOf(named.values());
    }

    /** The value of {@code key} as written, or null when it is absent. */
    YamlNode node(String key) {
        YamlNode.Entry entry = entries.get(key);
        return entry == null ? null : entry.value();
    }

    /** Whether {@code key} is set. */
    boolean has(String key) {
        return entries.containsKey(key);
    }

    /**
     * The parsed value of a key that must be set, or null when it is absent or bad (and then
     * reported, an absent key at the section's own position).
     */
    <T> T required(String key, String expected, ValueParser<T> parser) {
        if (!entries.containsKey(key)) {
            if (node instanceof YamlNode.Mapping) {
                problems.add(node, path + ": no " + key + " (expected: " + key + ": " + expected + ")");
            }
            return null;
        }
        return value(key, null, parser);
    }

    /** Warns about the value of {@code key}, which is set. */
    void warn(String key, String message) {
        problems.warn(entries.get(key).value(), qualified(key) + ": " + message);
    }

    /** Reports a problem with the value of {@code key}, which is set. */
    void reject(String key, String message) {
        problems.add(entries.get(key).value(), qualified(key) + ": " + message);
    }

    /**
     * Reports a problem with {@code absentKey}, whose default did not do, at the value of
     * {@code key}, which is set and made the default matter.
     */
    void rejectDefault(String absentKey, String key, String message) {
        problems.add(entries.get(key).value(), qualified(absentKey) + ": " + message);
    }

    /** Where the section starts, for problems about it as a whole; null when it is absent. */
    YamlNode node() {
        return node;
    }

    /** The parsed value of {@code key}, or {@code fallback} when it is absent or bad (and then reported). */
    <T> T value(String key, T fallback, ValueParser<T> parser) {
        YamlNode.Entry entry = entries.get(key);
        return entry == null ? fallback : parse(entry.value(), qualified(key), fallback, parser);
    }

    /** A list whose items are parsed one by one; bad items are reported and left out. */
    <T> List<T> list(String key, List<T> fallback, ValueParser<T> itemParser) {
        YamlNode.Entry entry = entries.get(key);
        if (entry == null) {
            return fallback;
        }
        if (!(entry.value() instanceof YamlNode.Sequence sequence)) {
            problems.add(entry.value(), qualified(key) + ": " + entry.value().describe()
                    + " is not a list (expected: a list, one \"- item\" per line)");
            return fallback;
        }
        List<T> items = new ArrayList<>();
        for (int i = 0; i < sequence.items().size(); i++) {
            T item = parse(sequence.items().get(i), qualified(key) + "[" + i + "]", null, itemParser);
            if (item != null) {
                items.add(item);
            }
        }
        return items;
    }

    private void accept(YamlNode.Entry entry, List<String> keys) {
        String key = qualified(entry.key());
        YamlNode.Entry first = entries.get(entry.key());
        if (first != null) {
            problems.add(entry.line(), entry.column(), key + ": repeated key, first set on line " + first.line()
                    + " (expected: each key once)");
        } else if (!keys.contains(entry.key())) {
            String suggestion = closest(entry.key(), keys);
            problems.add(entry.line(), entry.column(), key + ": unknown key"
                    + (suggestion == null ? "" : ", did you mean '" + suggestion + "'?")
                    + " (expected: one of " + String.join(", ", keys) + ")");
        } else {
            entries.put(entry.key(), entry);
        }
    }

    private <T> T parse(YamlNode node, String key, T fallback, ValueParser<T> parser) {
        try {
            return parser.parse(node);
        } catch (InvalidValue e) {
            problems.add(node, key + ": " + e.getMessage());
            return fallback;
        }
    }

    String qualified(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** The allowed key nearest to a mistyped one, when it is at most two edits away. */
    private static String closest(String key, List<String> keys) {
        String best = null;
        int bestDistance = 3;
        for (String candidate : keys) {
            int distance = editDistance(key.toLowerCase(Locale.ROOT), candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    /** Levenshtein distance. */
    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
