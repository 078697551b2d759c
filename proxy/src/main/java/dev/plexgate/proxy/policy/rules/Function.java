package dev.plexgate.proxy.policy.rules;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The functions of RULES.md §4. Their argument rules live in the parser, next to the messages. */
enum Function {
    LOWER("lower"),
    UPPER("upper"),
    LEN("len"),
    STARTS_WITH("starts_with"),
    ENDS_WITH("ends_with"),
    URL_DECODE("url_decode"),
    CONCAT("concat"),
    ANY("any"),
    ALL("all");

    static final String NAMES = Arrays.stream(values()).map(Function::functionName).collect(Collectors.joining(", "));

    private final String functionName;

    Function(String functionName) {
        this.functionName = functionName;
    }

    String functionName() {
        return functionName;
    }

    static Function byName(String name) {
        return Arrays.stream(values()).filter(f -> f.functionName.equals(name)).findFirst().orElse(null);
    }
}
