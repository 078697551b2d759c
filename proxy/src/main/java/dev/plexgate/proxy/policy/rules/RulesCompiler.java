package dev.plexgate.proxy.policy.rules;

import dev.plexgate.proxy.policy.rules.RuleError.Category;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Compiles a Rules language expression (RULES.md) into a {@link CompiledExpression}: lex, parse
 * typed against the field scheme, then compile into closures. Every error that can be found is
 * reported at once, located in the text as written.
 */
public final class RulesCompiler {

    /** Cloudflare's limit on an expression's length, in characters. */
    public static final int MAX_LENGTH = 4096;

    private RulesCompiler() {
    }

    /**
     * @param expression the text from the config; surrounding whitespace is ignored but error
     *                   positions count from its first character
     * @throws RuleCompileException with every error found, in source order
     */
    public static CompiledExpression compile(String expression, CompileContext context) throws RuleCompileException {
        SourceText source = new SourceText(expression);
        List<RuleError> errors = new ArrayList<>();
        Ast ast = check(source, context, errors);
        if (!errors.isEmpty()) {
            throw new RuleCompileException(errors);
        }
        return new CompiledExpression(expression, Compiler.compile(ast, context.bots()));
    }

    /** The checked tree, or null when {@code errors} (sorted by position) holds why not. */
    static Ast check(SourceText source, CompileContext context, List<RuleError> errors) {
        if (source.start() == source.end()) {
            errors.add(source.error(Category.EMPTY_EXPRESSION,
                    "empty expression (expected: a condition such as ip.src in $friends)", 0, 0));
            return null;
        }
        String text = source.text();
        int length = text.codePointCount(source.start(), source.end());
        if (length > MAX_LENGTH) {
            errors.add(source.error(Category.LIMIT_EXCEEDED, "expression is " + length + " characters long (limit: "
                    + MAX_LENGTH + ")", text.offsetByCodePoints(source.start(), MAX_LENGTH), source.end()));
            return null;
        }
        Ast ast;
        try {
            ast = Parser.parse(source, Lexer.tokenize(source), context, errors);
        } catch (SyntaxError e) {
            errors.add(e.error());
            ast = null;
        }
        errors.sort(Comparator.comparingInt(RuleError::offset));
        return errors.isEmpty() ? ast : null;
    }
}
