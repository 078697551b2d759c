package dev.plexgate.control.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads YAML text into {@link YamlNode}s through Jackson's streaming YAML parser, keeping the
 * position of every key and value. Structure only: keys and values are checked later.
 */
final class YamlReader {

    private static final YAMLFactory YAML = YAMLFactory.builder().build();

    private YamlReader() {
    }

    /**
     * The document's root; an empty document (or one of comments only) is an empty mapping.
     * A syntax error stops reading: it is recorded and thrown at once.
     */
    static YamlNode read(String text, Problems problems) throws ConfigException {
        try (JsonParser parser = YAML.createParser(text)) {
            if (parser.nextToken() == null) {
                return new YamlNode.Mapping(List.of(), 1, 1);
            }
            YamlNode root = node(parser);
            if (parser.nextToken() != null) {
                JsonLocation at = parser.currentTokenLocation();
                throw problems.fail(at.getLineNr(), at.getColumnNr(),
                        "a second YAML document (expected: one document, without a '---' line between settings)");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw syntaxError(e, text, problems);
        } catch (IOException e) {
            throw new UncheckedIOException("reading YAML from a string", e);
        }
    }

    private static YamlNode node(JsonParser parser) throws IOException {
        JsonLocation at = parser.currentTokenLocation();
        int line = at.getLineNr();
        int column = at.getColumnNr();
        JsonToken token = parser.currentToken();
        return switch (token) {
            case START_OBJECT -> mapping(parser, line, column);
            case START_ARRAY -> sequence(parser, line, column);
            case VALUE_STRING -> new YamlNode.Scalar(YamlNode.Type.STRING, parser.getText(), line, column);
            // 0x10 and 1_000 are YAML integers too: keep the value, not the spelling.
            case VALUE_NUMBER_INT -> new YamlNode.Scalar(YamlNode.Type.INTEGER,
                    parser.getBigIntegerValue().toString(), line, column);
            case VALUE_NUMBER_FLOAT -> new YamlNode.Scalar(YamlNode.Type.DECIMAL, parser.getText(), line, column);
            // YAML 1.1 also spells booleans yes/no/on/off.
            case VALUE_TRUE, VALUE_FALSE -> new YamlNode.Scalar(YamlNode.Type.BOOLEAN,
                    String.valueOf(token == JsonToken.VALUE_TRUE), line, column);
            case VALUE_NULL -> new YamlNode.Scalar(YamlNode.Type.NULL, "", line, column);
            default -> new YamlNode.Scalar(YamlNode.Type.OTHER, parser.getText(), line, column);
        };
    }

    private static YamlNode.Mapping mapping(JsonParser parser, int line, int column) throws IOException {
        List<YamlNode.Entry> entries = new ArrayList<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            JsonLocation keyAt = parser.currentTokenLocation();
            String key = parser.currentName();
            parser.nextToken();
            entries.add(new YamlNode.Entry(key, keyAt.getLineNr(), keyAt.getColumnNr(), node(parser)));
        }
        return new YamlNode.Mapping(entries, line, column);
    }

    private static YamlNode.Sequence sequence(JsonParser parser, int line, int column) throws IOException {
        List<YamlNode> items = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            items.add(node(parser));
        }
        return new YamlNode.Sequence(items, line, column);
    }

    private static ConfigException syntaxError(JsonProcessingException e, String text, Problems problems) {
        // SnakeYAML's own exception knows where the problem is; Jackson's location is that of the
        // last token it produced, a few characters earlier.
        if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
            Mark mark = yaml.getProblemMark();
            String problem = yaml.getProblem() != null ? yaml.getProblem() : yaml.getContext();
            return problems.fail(mark.getLine() + 1, mark.getColumn() + 1,
                    "invalid YAML: " + problem + " (expected: " + expectation(text, mark.getIndex()) + ")");
        }
        JsonLocation at = e.getLocation();
        return problems.fail(Math.max(1, at.getLineNr()), Math.max(1, at.getColumnNr()),
                "invalid YAML: " + e.getOriginalMessage() + " (expected: valid YAML)");
    }

    /** A plain value may not start with ':' or '[' where YAML reads structure: "::1/128", "[::1]:32401". */
    private static String expectation(String text, int index) {
        char found = index < text.length() ? text.charAt(index) : ' ';
        return found == ':' || found == '[' || found == '{'
                ? "quotes around a value that starts with ':', '[' or '{', such as \"::1/128\" or \"[::1]:32401\""
                : "valid YAML";
    }
}
