package dev.plexgate.control.config;

import java.util.List;

/**
 * A value of the YAML document with the line and column (1-based) where it starts: just enough
 * of a tree for the loader to point every error at its source.
 */
sealed interface YamlNode permits YamlNode.Scalar, YamlNode.Sequence, YamlNode.Mapping {

    int line();

    int column();

    /** How the value reads in an error message: {@code '5s'}, {@code a list}, {@code an empty value}. */
    String describe();

    /** What YAML made of a scalar; integers and booleans carry their canonical text. */
    enum Type { STRING, INTEGER, DECIMAL, BOOLEAN, NULL, OTHER }

    record Scalar(Type type, String text, int line, int column) implements YamlNode {

        /** {@code key:} with nothing after it, or an explicit {@code ~}/{@code null}. */
        boolean isEmpty() {
            return type == Type.NULL || (type == Type.STRING && text.isEmpty());
        }

        @Override
        public String describe() {
            return isEmpty() ? "an empty value" : "'" + text + "'";
        }
    }

    record Sequence(List<YamlNode> items, int line, int column) implements YamlNode {

        public Sequence {
            items = List.copyOf(items);
        }

        @Override
        public String describe() {
            return "a list";
        }
    }

    record Mapping(List<Entry> entries, int line, int column) implements YamlNode {

        public Mapping {
            entries = List.copyOf(entries);
        }

        @Override
        public String describe() {
            return "a mapping";
        }
    }

    /** One {@code key: value} pair; the position is the key's. */
    record Entry(String key, int line, int column, YamlNode value) {
    }
}
