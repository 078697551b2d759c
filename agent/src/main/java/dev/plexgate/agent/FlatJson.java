package dev.plexgate.agent;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads one JSON object whose values are strings, numbers, booleans or null: the shape of a tunnel
 * token's payload, of cloudflared's {@code /ready} body and of its JSON log lines. A nested object
 * or array is kept as its raw text. No library: the agent depends on the JDK and SLF4J only.
 */
final class FlatJson {

    private final String text;
    private int at;

    private FlatJson(String text) {
        this.text = text;
    }

    /**
     * The members of the object, in order, each value as text (a string unescaped, anything else as
     * written).
     *
     * @throws IllegalArgumentException when {@code text} is not one such object; the message never
     *                                  quotes the input, which may be secret
     */
    static Map<String, String> parse(String text) {
        FlatJson reader = new FlatJson(text);
        Map<String, String> members = reader.object();
        reader.skipSpace();
        if (reader.at != text.length()) {
            throw new IllegalArgumentException("text after the JSON object");
        }
        return members;
    }

    private Map<String, String> object() {
        skipSpace();
        expect('{');
        Map<String, String> members = new LinkedHashMap<>();
        skipSpace();
        if (peek() == '}') {
            at++;
            return members;
        }
        while (true) {
            skipSpace();
            String name = string();
            skipSpace();
            expect(':');
            skipSpace();
            members.put(name, value());
            skipSpace();
            char next = next();
            if (next == '}') {
                return members;
            }
            if (next != ',') {
                throw new IllegalArgumentException("not a JSON object");
            }
        }
    }

    private String value() {
        char first = peek();
        if (first == '"') {
            return string();
        }
        if (first == '{' || first == '[') {
            return nested();
        }
        int start = at;
        while (at < text.length() && ",}] \t\r\n".indexOf(text.charAt(at)) < 0) {
            at++;
        }
        if (start == at) {
            throw new IllegalArgumentException("not a JSON object");
        }
        return text.substring(start, at);
    }

    /** A nested object or array, skipped by counting brackets outside strings. */
    private String nested() {
        int start = at;
        int depth = 0;
        do {
            char c = peek();
            if (c == '"') {
                string();
                continue;
            }
            if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
            }
            at++;
        } while (depth > 0);
        return text.substring(start, at);
    }

    private String string() {
        expect('"');
        StringBuilder value = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return value.toString();
            }
            if (c != '\\') {
                value.append(c);
                continue;
            }
            char escaped = next();
            switch (escaped) {
                case '"', '\\', '/' -> value.append(escaped);
                case 'b' -> value.append('\b');
                case 'f' -> value.append('\f');
                case 'n' -> value.append('\n');
                case 'r' -> value.append('\r');
                case 't' -> value.append('\t');
                case 'u' -> {
                    if (at + 4 > text.length()) {
                        throw new IllegalArgumentException("not a JSON object");
                    }
                    try {
                        value.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("not a JSON object");
                    }
                    at += 4;
                }
                default -> throw new IllegalArgumentException("not a JSON object");
            }
        }
    }

    private void skipSpace() {
        while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) {
            at++;
        }
    }

    private void expect(char c) {
        if (next() != c) {
            throw new IllegalArgumentException("not a JSON object");
        }
    }

    private char peek() {
        if (at >= text.length()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        return text.charAt(at);
    }

    private char next() {
        char c = peek();
        at++;
        return c;
    }
}
