package dev.plexgate.proxy.policy.rules;

import java.util.List;
import java.util.stream.Collectors;

/** An expression was rejected; {@link #errors()} holds every problem found, in source order. */
public final class RuleCompileException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient List<RuleError> errors;

    RuleCompileException(List<RuleError> errors) {
        super(render(errors, "expression"));
        this.errors = List.copyOf(errors);
    }

    /** Never empty. */
    public List<RuleError> errors() {
        return errors;
    }

    /** Every error rendered with {@code location} (e.g. {@code rules[1].expression}), one block each. */
    public String render(String location) {
        return render(errors, location);
    }

    private static String render(List<RuleError> errors, String location) {
        return errors.stream().map(error -> error.render(location)).collect(Collectors.joining("\n"));
    }
}
