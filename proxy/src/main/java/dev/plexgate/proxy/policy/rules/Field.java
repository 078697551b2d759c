package dev.plexgate.proxy.policy.rules;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The fields plexgate provides (RULES.md §6): the scheme every expression is checked against. */
enum Field {
    IP_SRC("ip.src", Type.IP),
    IP_SRC_COUNTRY("ip.src.country", Type.STRING),
    IP_GEOIP_COUNTRY("ip.geoip.country", Type.STRING),
    HTTP_HOST("http.host", Type.STRING),
    HTTP_USER_AGENT("http.user_agent", Type.STRING),
    HTTP_REFERER("http.referer", Type.STRING),
    HTTP_COOKIE("http.cookie", Type.STRING),
    HTTP_X_FORWARDED_FOR("http.x_forwarded_for", Type.STRING),
    HTTP_REQUEST_METHOD("http.request.method", Type.STRING),
    HTTP_REQUEST_URI("http.request.uri", Type.STRING),
    HTTP_REQUEST_URI_PATH("http.request.uri.path", Type.STRING),
    HTTP_REQUEST_URI_QUERY("http.request.uri.query", Type.STRING),
    HTTP_REQUEST_FULL_URI("http.request.full_uri", Type.STRING),
    HTTP_REQUEST_HEADERS("http.request.headers", Type.map(Type.STRING_ARRAY)),
    HTTP_REQUEST_HEADERS_NAMES("http.request.headers.names", Type.STRING_ARRAY),
    HTTP_REQUEST_HEADERS_VALUES("http.request.headers.values", Type.STRING_ARRAY),
    SSL("ssl", Type.BOOL),
    CF_CLIENT_BOT("cf.client.bot", Type.BOOL);

    private static final Map<String, Field> BY_NAME =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(Field::fieldName, Function.identity()));

    private final String fieldName;
    private final Type type;

    Field(String fieldName, Type type) {
        this.fieldName = fieldName;
        this.type = type;
    }

    String fieldName() {
        return fieldName;
    }

    Type type() {
        return type;
    }

    /** The field named exactly {@code name} (names are case-sensitive), or null. */
    static Field byName(String name) {
        return BY_NAME.get(name);
    }

    /** The field whose name differs from {@code name} only in case, for a hint; or null. */
    static Field byNameIgnoringCase(String name) {
        return Arrays.stream(values()).filter(f -> f.fieldName.equalsIgnoreCase(name)).findFirst().orElse(null);
    }
}
