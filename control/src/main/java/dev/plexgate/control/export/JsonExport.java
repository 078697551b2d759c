package dev.plexgate.control.export;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The export as one JSON document: each API call's method, path and body, in the order to send them, so
 * that each body can be fed to {@code curl --json} (for example with {@code jq '.custom_rules.body'}).
 */
public final class JsonExport {

    private JsonExport() {
    }

    public static String render(EdgeExport export) {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = new JsonFactory().createGenerator(text)) {
            json.setPrettyPrinter(new DefaultPrettyPrinter()
                    .withSeparators(Separators.createDefaultInstance()
                            .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                    .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE));
            json.writeStartObject();
            json.writeArrayFieldStart("lists");
            for (EdgeList list : export.lists()) {
                json.writeStartObject();
                json.writeStringField("name", list.name());
                call(json, "create", "POST", export.listsPath(), listBody(list));
                call(json, "items", "PUT", export.itemsPath(list), itemsBody(list));
                json.writeEndObject();
            }
            json.writeEndArray();
            ruleset(json, "custom_rules", export, export.customRules());
            ruleset(json, "rate_limit_rules", export, export.rateLimitRules());
            if (export.cacheRules() != null) {
                ruleset(json, "cache_rules", export, export.cacheRules());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text + System.lineSeparator();
    }

    private static void ruleset(JsonGenerator json, String section, EdgeExport export, Ruleset ruleset)
            throws IOException {
        call(json, section, "PUT", ruleset.path(export.zone()), ruleset.body());
    }

    private static void call(JsonGenerator json, String name, String method, String path, Object body)
            throws IOException {
        json.writeObjectFieldStart(name);
        json.writeStringField("method", method);
        json.writeStringField("path", path);
        json.writeFieldName("body");
        value(json, body);
        json.writeEndObject();
    }

    /** The Lists API's create body. */
    static Map<String, Object> listBody(EdgeList list) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", list.name());
        body.put("kind", "ip");
        body.put("description", list.description());
        return body;
    }

    /** The Lists API's items body: the allow-list entry's name as each item's comment. */
    static List<Object> itemsBody(EdgeList list) {
        List<Object> items = new ArrayList<>();
        for (ListItem item : list.items()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("ip", item.ip());
            if (item.comment() != null) {
                json.put("comment", item.comment());
            }
            items.add(json);
        }
        return items;
    }

    private static void value(JsonGenerator json, Object value) throws IOException {
        if (value instanceof Map<?, ?> map) {
            json.writeStartObject();
            for (Map.Entry<?, ?> field : map.entrySet()) {
                json.writeFieldName((String) field.getKey());
                value(json, field.getValue());
            }
            json.writeEndObject();
        } else if (value instanceof List<?> list) {
            json.writeStartArray();
            for (Object element : list) {
                value(json, element);
            }
            json.writeEndArray();
        } else if (value instanceof String string) {
            json.writeString(string);
        } else if (value instanceof Boolean bool) {
            json.writeBoolean(bool);
        } else if (value instanceof Number number) {
            json.writeNumber(number.longValue());
        } else {
            throw new IllegalArgumentException("not a JSON value: " + value);
        }
    }
}
