package dev.plexgate.proxy.policy.rules;

import java.util.Set;

/**
 * A checked, compiled expression: immutable and thread-safe, built once per config load and shared
 * by every event loop. {@link #matches} reads the facts it needs and allocates nothing itself,
 * except for function results ({@code lower()}, {@code concat()}, …) and one RE2/J matcher per
 * {@code matches} test.
 */
public final class CompiledExpression {

    private final String source;
    private final Nodes.Bool root;
    private final Set<String> fields;
    private final Set<String> lists;

    CompiledExpression(String source, Compiler.Result compiled) {
        this.source = source;
        this.root = compiled.root();
        this.fields = compiled.fields();
        this.lists = compiled.lists();
    }

    /** True when the request matches. */
    public boolean matches(RequestFacts facts) {
        return root.evaluate(facts, null);
    }

    /** The expression exactly as given (untrimmed), for the export and for messages. */
    public String source() {
        return source;
    }

    /** Names of the fields the expression reads, e.g. to warn that {@code cf.client.bot} differs at the edge. */
    public Set<String> fields() {
        return fields;
    }

    /** Names of the {@code $lists} the expression refers to. */
    public Set<String> lists() {
        return lists;
    }

    @Override
    public String toString() {
        return source;
    }
}
