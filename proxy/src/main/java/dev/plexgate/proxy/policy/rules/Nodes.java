package dev.plexgate.proxy.policy.rules;

import java.util.List;

/**
 * The shapes of the compiled evaluator: immutable closures over {@link RequestFacts}, one per node
 * of the checked tree. {@code element} is the element of the innermost {@code [*]} being visited
 * (null elsewhere); it lets {@code any(lower(x[*])[*] == "a")} run without building an array.
 */
final class Nodes {

    private Nodes() {
    }

    /** A String, or null when the value is missing. */
    @FunctionalInterface
    interface Str {
        String evaluate(RequestFacts facts, Object element);
    }

    /** An Int, or {@link #MISSING}; only {@code len()} makes ints, and a length is never negative. */
    @FunctionalInterface
    interface Int {
        long MISSING = Long.MIN_VALUE;

        long evaluate(RequestFacts facts, Object element);
    }

    /** A condition; false when what it tests is missing. */
    @FunctionalInterface
    interface Bool {
        boolean evaluate(RequestFacts facts, Object element);
    }

    /** The elements an array is read from, or null when missing. */
    @FunctionalInterface
    interface Array {
        List<?> evaluate(RequestFacts facts, Object element);
    }

    static final Str CURRENT_STRING = (facts, element) -> (String) element;
    static final Array CURRENT_ARRAY = (facts, element) -> (List<?>) element;
}
