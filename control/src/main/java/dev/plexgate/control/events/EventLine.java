package dev.plexgate.control.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Optional;

/**
 * One line of the events file, read back: the fields the table shows, and the line as written
 * for {@code --json}. Fields the line lacks are empty, so that older or newer writers still read;
 * only {@code time} and {@code action}, which the filters need, are required.
 */
public record EventLine(Instant time, String client, String country, String method, String host, String path,
        String rule, String action, int status, String text) {

    private static final JsonFactory JSON = new JsonFactory();

    /** The event on {@code text}, or empty when the line is not one. */
    public static Optional<EventLine> parse(String text) {
        String time = null;
        String client = "";
        String country = "";
        String method = "";
        String host = "";
        String path = "";
        String rule = "";
        String action = "";
        int status = 0;
        try (JsonParser json = JSON.createParser(text)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String name = json.currentName();
                JsonToken value = json.nextToken();
                if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                    json.skipChildren();
                    continue;
                }
                switch (name) {
                    case "time" -> time = json.getValueAsString();
                    case "client" -> client = string(json);
                    case "country" -> country = string(json);
                    case "method" -> method = string(json);
                    case "host" -> host = string(json);
                    case "path" -> path = string(json);
                    case "rule" -> rule = string(json);
                    case "action" -> action = string(json);
                    case "status" -> status = json.getValueAsInt();
                    default -> {
                        // ray, user_agent and anything a later version adds: only --json shows them.
                    }
                }
            }
            if (json.nextToken() != null || time == null || action.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new EventLine(Instant.parse(time), client, country, method, host, path, rule, action,
                    status, text));
        } catch (IOException | DateTimeException e) {
            return Optional.empty();
        }
    }

    private static String string(JsonParser json) throws IOException {
        String value = json.getValueAsString();
        return value == null ? "" : value;
    }
}
