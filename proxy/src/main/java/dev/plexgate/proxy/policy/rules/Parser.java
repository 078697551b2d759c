package dev.plexgate.proxy.policy.rules;

import dev.plexgate.proxy.policy.IpMatcher;
import dev.plexgate.proxy.policy.rules.Ast.Literal;
import dev.plexgate.proxy.policy.rules.Ast.LogicalOperator;
import dev.plexgate.proxy.policy.rules.Ast.Operator;
import dev.plexgate.proxy.policy.rules.Ast.Selector;
import dev.plexgate.proxy.policy.rules.RuleError.Category;
import dev.plexgate.proxy.policy.rules.Token.Kind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Recursive descent over the tokens, typed against the field scheme as it goes (as wirefilter
 * does): the left side's type decides how the right side's literal is read. Errors that leave the
 * structure intact are collected and parsing goes on; anything else throws {@link SyntaxError}.
 *
 * <pre>
 * or         = xor { ("or" | "||") xor }
 * xor        = and { ("xor" | "^^") and }
 * and        = unary { ("and" | "&amp;&amp;") unary }
 * unary      = { "not" | "!" } simple
 * simple     = "(" or ")" | value [ operator literal ]
 * value      = (field | function "(" [ argument { "," argument } ] ")") { "[" ("\"key\"" | index | "*") "]" }
 * </pre>
 */
final class Parser {

    /** Parentheses and calls nested deeper than this are refused (wirefilter's guard). */
    static final int MAX_DEPTH = 128;

    private static final Set<String> KEYWORDS = Set.of("not", "and", "or", "xor", "eq", "ne", "lt", "le", "gt",
            "ge", "contains", "matches", "wildcard", "strict", "in");
    private static final Map<String, Operator> OPERATOR_WORDS = Map.of("eq", Operator.EQ, "ne", Operator.NE,
            "lt", Operator.LT, "le", Operator.LE, "gt", Operator.GT, "ge", Operator.GE,
            "contains", Operator.CONTAINS, "matches", Operator.MATCHES, "wildcard", Operator.WILDCARD,
            "in", Operator.IN);
    private static final Map<Kind, Operator> OPERATOR_SYMBOLS = Map.of(Kind.EQ_EQ, Operator.EQ,
            Kind.NOT_EQ, Operator.NE, Kind.LT, Operator.LT, Kind.LE, Operator.LE, Kind.GT, Operator.GT,
            Kind.GE, Operator.GE, Kind.TILDE, Operator.MATCHES);

    private final SourceText source;
    private final List<Token> tokens;
    private final CompileContext context;
    private final List<RuleError> errors;
    private int position;
    private int depth;

    private Parser(SourceText source, List<Token> tokens, CompileContext context, List<RuleError> errors) {
        this.source = source;
        this.tokens = tokens;
        this.context = context;
        this.errors = errors;
    }

    /**
     * The typed tree of the whole expression. Errors that did not stop parsing are added to
     * {@code errors}; when any were added the tree holds {@link Ast.Invalid} parts.
     *
     * @throws SyntaxError at the first token that breaks the structure
     */
    static Ast parse(SourceText source, List<Token> tokens, CompileContext context, List<RuleError> errors) {
        Parser parser = new Parser(source, tokens, context, errors);
        Ast ast = parser.or(null);
        Token next = parser.peek();
        if (next.kind() == Kind.RPAREN) {
            throw parser.syntax(Category.UNBALANCED_PARENTHESIS, "')' has no matching '('", next);
        }
        if (next.kind() != Kind.END_OF_INPUT) {
            parser.checkKeywordCase(next);
            throw parser.syntax(Category.TRAILING_INPUT,
                    "expected 'and', 'or', 'xor' or end of input, found " + parser.describe(next), next);
        }
        return ast;
    }

    // ---- logical structure

    private Ast or(Token after) {
        return logical(LogicalOperator.OR, after);
    }

    private Ast logical(LogicalOperator operator, Token after) {
        Ast first = operator == LogicalOperator.AND ? unary(after) : logical(tighter(operator), after);
        List<Ast> operands = null;
        while (isLogical(peek(), operator)) {
            Token token = next();
            if (operands == null) {
                operands = new ArrayList<>(List.of(first));
            }
            operands.add(operator == LogicalOperator.AND ? unary(token) : logical(tighter(operator), token));
        }
        if (operands == null) {
            return first;
        }
        return new Ast.Logical(operator, List.copyOf(operands), first.start(), operands.get(operands.size() - 1).end());
    }

    private static LogicalOperator tighter(LogicalOperator operator) {
        return operator == LogicalOperator.OR ? LogicalOperator.XOR : LogicalOperator.AND;
    }

    private boolean isLogical(Token token, LogicalOperator operator) {
        return switch (operator) {
            case AND -> token.kind() == Kind.AND_AND || isWord(token, "and");
            case XOR -> token.kind() == Kind.XOR_XOR || isWord(token, "xor");
            case OR -> token.kind() == Kind.OR_OR || isWord(token, "or");
        };
    }

    private Ast unary(Token after) {
        checkKeywordCase(peek());
        List<Token> nots = new ArrayList<>();
        while (peek().kind() == Kind.BANG || isWord(peek(), "not")) {
            nots.add(next());
            checkKeywordCase(peek());
        }
        Ast operand = simple(nots.isEmpty() ? after : nots.get(nots.size() - 1));
        for (int i = nots.size() - 1; i >= 0; i--) {
            operand = new Ast.Not(operand, nots.get(i).start(), operand.end());
        }
        return operand;
    }

    private Ast simple(Token after) {
        Token token = peek();
        String context = after == null ? "" : " after '" + text(after) + "'";
        switch (token.kind()) {
            case LPAREN -> {
                next();
                enter(token);
                Ast inner = or(token);
                Token close = peek();
                if (close.kind() != Kind.RPAREN) {
                    checkKeywordCase(close);
                    throw syntax(Category.UNBALANCED_PARENTHESIS, "expected ')' to close the '(' at "
                            + lineColumn(token) + ", found " + describe(close), close);
                }
                next();
                depth--;
                return inner;
            }
            case WORD -> {
                if (KEYWORDS.contains(text(token))) {
                    throw syntax(Category.MISSING_OPERAND,
                            "expected a condition" + context + ", found " + describe(token), token);
                }
                return comparisonOrCondition(value(), false);
            }
            case END_OF_INPUT -> throw syntax(Category.MISSING_OPERAND,
                    "expected a condition" + context + ", found end of input", token);
            case RPAREN -> throw depth == 0
                    ? syntax(Category.UNBALANCED_PARENTHESIS, "')' has no matching '('", token)
                    : syntax(Category.MISSING_OPERAND, "expected a condition" + context + ", found ')'", token);
            default -> throw syntax(Category.UNEXPECTED_TOKEN,
                    "expected a condition" + context + ", found " + describe(token), token);
        }
    }

    /** A comparison if an operator follows {@code value}, else {@code value} standing alone as a condition. */
    private Ast comparisonOrCondition(Ast value, boolean insideAnyOrAll) {
        Token token = peek();
        checkKeywordCase(token);
        Operator operator = OPERATOR_SYMBOLS.get(token.kind());
        if (token.kind() == Kind.WORD) {
            operator = isWord(token, "strict") ? Operator.STRICT_WILDCARD : OPERATOR_WORDS.get(text(token));
        }
        if (operator == null) {
            return insideAnyOrAll ? value : condition(value);
        }
        next();
        int operatorEnd = token.end();
        if (operator == Operator.STRICT_WILDCARD) {
            Token wildcard = peek();
            if (!isWord(wildcard, "wildcard")) {
                throw syntax(Category.UNEXPECTED_TOKEN,
                        "expected 'wildcard' after 'strict', found " + describe(wildcard), wildcard);
            }
            operatorEnd = next().end();
        }
        Ast comparison = comparison(value, operator, token.start(), operatorEnd);
        if (!insideAnyOrAll && comparison.type().is(Type.Kind.ARRAY)) {
            error(Category.TYPE_MISMATCH, "a comparison on [*] gives one result per element (Array<Bool>);"
                    + " wrap it in any(…) or all(…)", comparison.start(), comparison.end());
            return new Ast.Invalid(comparison.start(), comparison.end());
        }
        return comparison;
    }

    private Ast condition(Ast value) {
        Type type = value.type();
        if (type.is(Type.Kind.BOOL) || type.is(Type.Kind.ERROR)) {
            return value;
        }
        if (type.equals(Type.BOOL_ARRAY)) {
            error(Category.TYPE_MISMATCH, "'" + text(value) + "' gives one result per element (Array<Bool>);"
                    + " wrap it in any(…) or all(…)", value.start(), value.end());
        } else {
            error(Category.TYPE_MISMATCH, "'" + text(value) + "' is " + article(type) + ", not a Bool, so it cannot"
                    + " stand alone as a condition (expected: a comparison such as '" + text(value) + " eq …')",
                    value.start(), value.end());
        }
        return new Ast.Invalid(value.start(), value.end());
    }

    // ---- comparisons

    private Ast comparison(Ast left, Operator operator, int operatorStart, int operatorEnd) {
        String operatorText = source.slice(operatorStart, operatorEnd);
        Token first = peek();
        if (first.kind() == Kind.END_OF_INPUT || first.kind() == Kind.RPAREN || first.kind() == Kind.COMMA
                || (first.kind() == Kind.WORD && KEYWORDS.contains(text(first))) || isLogicalSymbol(first)) {
            throw syntax(Category.MISSING_OPERAND,
                    "expected a value after '" + operatorText + "', found " + describe(first), first);
        }
        Type operand = left.type().scalar();
        Type resultType = left.type().is(Type.Kind.EACH) ? Type.BOOL_ARRAY : Type.BOOL;
        Literal literal;
        if (operand.is(Type.Kind.ERROR) || !operatorApplies(left, operand, operator, operatorText, operatorStart,
                operatorEnd)) {
            skipLiteral();
            literal = new Literal.Invalid();
        } else {
            literal = literal(left, operand, operator, operatorText);
        }
        int end = previous().end();
        if (literal instanceof Literal.Invalid) {
            return new Ast.Invalid(left.start(), end);
        }
        return new Ast.Compare(left, operator, literal, source.slice(first.start(), end), resultType, left.start(), end);
    }

    private boolean operatorApplies(Ast left, Type operand, Operator operator, String operatorText, int from, int to) {
        String subject = "'" + text(left) + "'";
        switch (operand.kind()) {
            case STRING:
                return true;
            case INT:
                if (operator == Operator.CONTAINS || operator == Operator.MATCHES || operator == Operator.WILDCARD
                        || operator == Operator.STRICT_WILDCARD) {
                    error(Category.UNSUPPORTED_OPERATOR, "'" + operatorText + "' does not apply to " + subject
                            + ", an Int (expected: eq, ne, lt, le, gt, ge or in)", from, to);
                    return false;
                }
                return true;
            case IP:
                if (operator != Operator.EQ && operator != Operator.NE && operator != Operator.IN) {
                    error(Category.UNSUPPORTED_OPERATOR, "'" + operatorText + "' does not apply to " + subject
                            + ", an IP (expected: eq, ne or in)", from, to);
                    return false;
                }
                return true;
            case BOOL:
                error(Category.TYPE_MISMATCH, subject + " is a Bool and is not compared: write '" + text(left)
                        + "' or 'not " + text(left) + "'", from, to);
                return false;
            default:
                error(Category.TYPE_MISMATCH, "operators do not take arrays or maps: " + subject + " is "
                        + article(operand) + " (expected: an element such as [0], or any(…[*] …))", left.start(), to);
                return false;
        }
    }

    private Literal literal(Ast left, Type operand, Operator operator, String operatorText) {
        Token token = peek();
        String subject = "'" + text(left) + "' is " + article(operand);
        if (operator == Operator.IN) {
            if (token.kind() == Kind.LBRACE) {
                return set(left, operand);
            }
            if (token.kind() == Kind.LIST) {
                next();
                return listReference(left, operand, token);
            }
            next();
            error(Category.UNEXPECTED_TOKEN, "expected a set { … } or a list $name after 'in', found "
                    + describe(token), token.start(), token.end());
            return new Literal.Invalid();
        }
        next();
        try {
            if (operand.is(Type.Kind.STRING)) {
                if (!token.isString()) {
                    error(Category.TYPE_MISMATCH, subject + ": expected a string after '" + operatorText
                            + "', found " + describe(token), token.start(), token.end());
                    return new Literal.Invalid();
                }
                return switch (operator) {
                    case MATCHES -> new Literal.Regex(regex(token));
                    case WILDCARD, STRICT_WILDCARD -> new Literal.Wildcard(wildcard(token, operator));
                    default -> new Literal.StringValue(Literals.string(source, token));
                };
            }
            if (token.kind() != Kind.WORD) {
                error(Category.TYPE_MISMATCH, subject + ": expected " + (operand.is(Type.Kind.IP)
                        ? "an IP address" : "an integer") + " after '" + operatorText + "', found " + describe(token)
                        + (token.isString() ? " (such literals are not quoted)" : ""), token.start(), token.end());
                return new Literal.Invalid();
            }
            String word = text(token);
            if (operand.is(Type.Kind.INT)) {
                return new Literal.IntValue(Literals.integer(word, token.start(), token.end()));
            }
            if (word.contains("/") || word.contains("..")) {
                throw new BadLiteral("a " + (word.contains("/") ? "CIDR" : "range") + " is allowed only in a set:"
                        + " write 'ip.src in {" + word + "}'", token.start(), token.end());
            }
            return new Literal.IpValue(Literals.address(word, token.start(), token.end()));
        } catch (BadLiteral e) {
            error(Category.BAD_LITERAL, e.getMessage(), e.from(), e.to());
            return new Literal.Invalid();
        }
    }

    private com.google.re2j.Pattern regex(Token token) {
        String content = source.slice(token.contentStart(), token.contentEnd());
        String regex = token.kind() == Kind.RAW_STRING ? content : RegexLiteral.fromQuoted(content);
        try {
            return RegexLiteral.compile(ByteStrings.fromText(regex));
        } catch (IllegalArgumentException e) {
            throw new BadLiteral(e.getMessage(), token.start(), token.end());
        }
    }

    private WildcardPattern wildcard(Token token, Operator operator) {
        try {
            return WildcardPattern.compile(Literals.string(source, token), operator == Operator.STRICT_WILDCARD);
        } catch (IllegalArgumentException e) {
            throw new BadLiteral(e.getMessage(), token.start(), token.end());
        }
    }

    private Literal set(Ast left, Type operand) {
        Token open = next();
        Set<String> strings = new HashSet<>();
        List<long[]> ints = new ArrayList<>();
        List<IpRangeSet.Entry> addresses = new ArrayList<>();
        boolean valid = true;
        for (Token token = next(); token.kind() != Kind.RBRACE; token = next()) {
            if (token.kind() != Kind.WORD && !token.isString()) {
                throw syntax(Category.UNEXPECTED_TOKEN, "expected a value or '}' to close the set opened at "
                        + lineColumn(open) + ", found " + describe(token)
                        + (token.kind() == Kind.COMMA ? " (set values are separated by spaces)" : ""), token);
            }
            if (token.isString() != operand.is(Type.Kind.STRING)) {
                String expected = operand.is(Type.Kind.STRING) ? "strings" : operand.is(Type.Kind.IP)
                        ? "IP addresses, CIDRs and ranges (not quoted)" : "integers and ranges (not quoted)";
                error(Category.TYPE_MISMATCH, "'" + text(left) + "' is " + article(operand) + ", so the set holds "
                        + expected + "; found " + describe(token), token.start(), token.end());
                valid = false;
                continue;
            }
            try {
                switch (operand.kind()) {
                    case STRING -> strings.add(Literals.string(source, token));
                    case INT -> ints.add(intRange(token));
                    default -> addresses.add(Literals.ipSetEntry(text(token), token.start(), token.end()));
                }
            } catch (BadLiteral e) {
                error(Category.BAD_LITERAL, e.getMessage(), e.from(), e.to());
                valid = false;
            }
        }
        if (!valid) {
            return new Literal.Invalid();
        }
        return switch (operand.kind()) {
            case STRING -> new Literal.StringSet(Set.copyOf(strings));
            case INT -> new Literal.IntSet(IntRangeSet.of(ints));
            default -> new Literal.IpSet(IpRangeSet.of(addresses));
        };
    }

    private long[] intRange(Token token) {
        String word = text(token);
        int dots = word.indexOf("..");
        if (dots < 0) {
            long value = Literals.integer(word, token.start(), token.end());
            return new long[] {value, value};
        }
        long low = Literals.integer(word.substring(0, dots), token.start(), token.start() + dots);
        long high = Literals.integer(word.substring(dots + 2), token.start() + dots + 2, token.end());
        if (low > high) {
            throw new BadLiteral("range '" + word + "' ends before it starts", token.start(), token.end());
        }
        return new long[] {low, high};
    }

    private Literal listReference(Ast left, Type operand, Token token) {
        String name = source.slice(token.contentStart(), token.contentEnd());
        IpMatcher matcher = context.ipLists().get(name);
        if (matcher == null && context.patternLists().contains(name)) {
            error(Category.UNKNOWN_LIST, "list '" + name + "' is a pattern list, not an IP list (pattern lists"
                    + " only feed cf.client.bot)", token.start(), token.end());
        } else if (matcher == null) {
            error(Category.UNKNOWN_LIST, "unknown list '$" + name + "' (" + (context.ipLists().isEmpty()
                    ? "no IP lists are defined" : "defined IP lists: " + String.join(", ",
                    new TreeSet<>(context.ipLists().keySet()))) + ")", token.start(), token.end());
        } else if (!operand.is(Type.Kind.IP)) {
            error(Category.TYPE_MISMATCH, "list '" + name + "' holds IP addresses, but '" + text(left) + "' is "
                    + article(operand), token.start(), token.end());
        } else {
            return new Literal.ListRef(name, matcher);
        }
        return new Literal.Invalid();
    }

    private void skipLiteral() {
        Token token = next();
        if (token.kind() == Kind.LBRACE) {
            while (token.kind() != Kind.RBRACE && token.kind() != Kind.END_OF_INPUT) {
                token = next();
            }
            if (token.kind() == Kind.END_OF_INPUT) {
                position--;
            }
        }
    }

    // ---- values: fields, calls, indexes

    private Ast value() {
        Token name = next();
        Ast value = peek().kind() == Kind.LPAREN ? call(name) : field(name);
        while (peek().kind() == Kind.LBRACKET) {
            value = index(value);
        }
        return value;
    }

    private Ast field(Token name) {
        String text = text(name);
        Field field = Field.byName(text);
        if (field != null) {
            return new Ast.FieldRef(field, name.start(), name.end());
        }
        if (!text.matches("[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*") || Character.isDigit(text.charAt(0))) {
            throw syntax(Category.UNEXPECTED_TOKEN, "expected a field or a function, found '" + text + "'", name);
        }
        Field differentCase = Field.byNameIgnoringCase(text);
        String hint = "";
        if (differentCase != null) {
            hint = " (field names are case-sensitive: '" + differentCase.fieldName() + "')";
        } else if (text.equals("true") || text.equals("false")) {
            hint = " (there are no Boolean literals: a Bool stands alone, as in 'ssl' or 'not ssl')";
        }
        error(Category.UNKNOWN_FIELD, "unknown field '" + text + "'" + hint, name.start(), name.end());
        return new Ast.Invalid(name.start(), name.end());
    }

    private Ast index(Ast target) {
        Token open = next();
        if (open.start() != tokens.get(position - 2).end()) {
            throw syntax(Category.UNEXPECTED_TOKEN, "no space is allowed before '['", open);
        }
        Token inside = next();
        Selector selector;
        if (inside.isString()) {
            selector = new Selector.Key(decodeOrReport(inside));
        } else if (inside.kind() == Kind.STAR) {
            selector = new Selector.Each();
        } else if (inside.kind() == Kind.WORD) {
            selector = new Selector.Position(position(inside));
        } else {
            throw syntax(Category.UNEXPECTED_TOKEN, "expected a \"key\", an index or * inside [ ], found "
                    + describe(inside), inside);
        }
        Token close = next();
        if (close.kind() != Kind.RBRACKET) {
            throw syntax(Category.UNEXPECTED_TOKEN, "expected ']', found " + describe(close), close);
        }
        Type type = indexType(target, selector, open, close);
        if (type.is(Type.Kind.ERROR)) {
            return new Ast.Invalid(target.start(), close.end());
        }
        return new Ast.Index(target, selector, type, target.start(), close.end());
    }

    private Type indexType(Ast target, Selector selector, Token open, Token close) {
        Type type = target.type();
        if (type.is(Type.Kind.ERROR) || (selector instanceof Selector.Key key && key.key() == null)
                || (selector instanceof Selector.Position p && p.position() < 0)) {
            return Type.ERROR;
        }
        if (type.is(Type.Kind.EACH)) {
            error(Category.TYPE_MISMATCH, "[*] must be the last index", open.start(), close.end());
            return Type.ERROR;
        }
        String problem;
        if (selector instanceof Selector.Key) {
            if (type.is(Type.Kind.MAP)) {
                return type.element();
            }
            problem = "only a map takes [\"key\"]";
        } else if (selector instanceof Selector.Position) {
            if (type.is(Type.Kind.ARRAY)) {
                return type.element();
            }
            problem = "only an array takes [index]";
        } else {
            if (type.is(Type.Kind.ARRAY) || type.is(Type.Kind.MAP)) {
                return Type.each(type.element());
            }
            problem = "only arrays and maps take [*]";
        }
        error(Category.TYPE_MISMATCH, "'" + text(target) + "' is " + article(type) + "; " + problem,
                open.start(), close.end());
        return Type.ERROR;
    }

    private String decodeOrReport(Token string) {
        try {
            return Literals.string(source, string);
        } catch (BadLiteral e) {
            error(Category.BAD_LITERAL, e.getMessage(), e.from(), e.to());
            return null;
        }
    }

    private int position(Token token) {
        try {
            long value = Literals.integer(text(token), token.start(), token.end());
            if (value < 0 || value > Integer.MAX_VALUE) {
                throw new BadLiteral("index " + value + " is out of range (expected: 0 to " + Integer.MAX_VALUE
                        + ")", token.start(), token.end());
            }
            return (int) value;
        } catch (BadLiteral e) {
            error(Category.BAD_LITERAL, e.getMessage(), e.from(), e.to());
            return -1;
        }
    }

    private Ast call(Token name) {
        Function function = Function.byName(text(name));
        Token open = next();
        enter(open);
        List<Ast> arguments = new ArrayList<>();
        if (peek().kind() != Kind.RPAREN) {
            arguments.add(argument(function, open));
            while (peek().kind() == Kind.COMMA) {
                arguments.add(argument(function, next()));
            }
        }
        Token close = next();
        if (close.kind() != Kind.RPAREN) {
            checkKeywordCase(close);
            throw syntax(Category.UNBALANCED_PARENTHESIS, "expected ',' or ')' to close the call of " + text(name)
                    + "() at " + lineColumn(open) + ", found " + describe(close), close);
        }
        depth--;
        if (function == null) {
            error(Category.UNKNOWN_FUNCTION, "unknown function '" + text(name) + "' (expected one of: "
                    + Function.NAMES + ")", name.start(), name.end());
            return new Ast.Invalid(name.start(), close.end());
        }
        Type type = new CallChecker(function, arguments, name.start(), close.end()).type();
        if (type.is(Type.Kind.ERROR)) {
            return new Ast.Invalid(name.start(), close.end());
        }
        return new Ast.Call(function, List.copyOf(arguments), type, name.start(), close.end());
    }

    private Ast argument(Function function, Token after) {
        Token token = peek();
        String name = function == null ? "the function" : function.functionName() + "()";
        if (token.isString()) {
            next();
            String value = decodeOrReport(token);
            return value == null ? new Ast.Invalid(token.start(), token.end()) : new Ast.StringLiteral(value,
                    token.start(), token.end());
        }
        if (token.kind() != Kind.WORD || KEYWORDS.contains(text(token))) {
            checkKeywordCase(token);
            throw syntax(token.kind() == Kind.END_OF_INPUT ? Category.MISSING_OPERAND : Category.UNEXPECTED_TOKEN,
                    "expected an argument of " + name + " after '" + text(after) + "', found " + describe(token), token);
        }
        Ast value = value();
        boolean reduces = function == Function.ANY || function == Function.ALL;
        return reduces ? comparisonOrCondition(value, true) : value;
    }

    /** Arity and argument types of one call; reports what is wrong and gives the result type. */
    private final class CallChecker {
        private final Function function;
        private final List<Ast> arguments;
        private final int start;
        private final int end;
        private boolean valid = true;

        CallChecker(Function function, List<Ast> arguments, int start, int end) {
            this.function = function;
            this.arguments = arguments;
            this.start = start;
            this.end = end;
        }

        Type type() {
            if (arguments.stream().anyMatch(argument -> argument.type().is(Type.Kind.ERROR))) {
                return Type.ERROR;
            }
            String name = function.functionName() + "()";
            int count = arguments.size();
            int min = switch (function) {
                case STARTS_WITH, ENDS_WITH, CONCAT -> 2;
                default -> 1;
            };
            int max = switch (function) {
                case STARTS_WITH, ENDS_WITH, URL_DECODE -> 2;
                case CONCAT -> Integer.MAX_VALUE;
                default -> 1;
            };
            if (count < min || count > max) {
                error(Category.TYPE_MISMATCH, name + " takes " + (min == max ? String.valueOf(min)
                        : max == Integer.MAX_VALUE ? min + " or more" : min + " or " + max) + " argument"
                        + (max == 1 ? "" : "s") + ", found " + count, start, end);
                return Type.ERROR;
            }
            for (int i = 1; i < count; i++) {
                if (arguments.get(i).type().is(Type.Kind.EACH)) {
                    reject(i, "[*] is allowed only in the first argument of " + name);
                }
            }
            Ast first = arguments.get(0);
            Type base = first.type().scalar();
            Type result = switch (function) {
                case LOWER, UPPER -> expect(0, base, Type.STRING, Type.STRING);
                case LEN -> base.is(Type.Kind.STRING) || base.is(Type.Kind.ARRAY) ? Type.INT
                        : reject(0, "argument 1 of len() must be a String or an Array, found " + base);
                case STARTS_WITH, ENDS_WITH -> {
                    if (first instanceof Ast.StringLiteral) {
                        reject(0, "argument 1 of " + name + " must be a field or a function, not a literal");
                    }
                    literalArgument(1, null);
                    yield expect(0, base, Type.STRING, Type.BOOL);
                }
                case URL_DECODE -> {
                    if (!(first instanceof Ast.FieldRef || first instanceof Ast.Index)) {
                        reject(0, "argument 1 of url_decode() must be a field");
                    }
                    if (count == 2) {
                        literalArgument(1, Set.of("r", "u", "ur"));
                    }
                    yield expect(0, base, Type.STRING, Type.STRING);
                }
                case CONCAT -> concat(base);
                case ANY, ALL -> first.type().equals(Type.BOOL_ARRAY) ? Type.BOOL : reject(0, name
                        + " takes an Array<Bool>: a comparison on [*] such as " + function.functionName()
                        + "(http.request.headers.names[*] == \"X-Api-Key\"), found " + first.type());
            };
            if (!valid) {
                return Type.ERROR;
            }
            return first.type().is(Type.Kind.EACH) ? Type.array(result) : result;
        }

        private Type concat(Type base) {
            if (!base.is(Type.Kind.STRING) && !base.equals(Type.STRING_ARRAY)) {
                return reject(0, "argument 1 of concat() must be a String or an Array<String>, found " + base);
            }
            for (int i = 1; i < arguments.size(); i++) {
                if (!arguments.get(i).type().scalar().equals(base)) {
                    reject(i, "argument " + (i + 1) + " of concat() must be " + article(base)
                            + " like argument 1, found " + arguments.get(i).type().scalar());
                }
            }
            return base;
        }

        private Type expect(int index, Type actual, Type expected, Type result) {
            return actual.equals(expected) ? result : reject(index, "argument " + (index + 1) + " of "
                    + function.functionName() + "() must be " + article(expected) + ", found " + actual);
        }

        private void literalArgument(int index, Set<String> allowed) {
            Ast argument = arguments.get(index);
            if (!(argument instanceof Ast.StringLiteral literal)) {
                reject(index, "argument " + (index + 1) + " of " + function.functionName()
                        + "() must be a string literal");
            } else if (allowed != null && !allowed.contains(literal.value())) {
                reject(index, "argument " + (index + 1) + " of " + function.functionName()
                        + "() must be \"r\", \"u\" or \"ur\", found \"" + literal.value() + "\"");
            }
        }

        private Type reject(int index, String message) {
            Ast argument = arguments.get(index);
            error(Category.TYPE_MISMATCH, message, argument.start(), argument.end());
            valid = false;
            return Type.ERROR;
        }
    }

    // ---- tokens and errors

    private Token peek() {
        return tokens.get(position);
    }

    private Token next() {
        Token token = tokens.get(position);
        if (token.kind() != Kind.END_OF_INPUT) {
            position++;
        }
        return token;
    }

    private Token previous() {
        return tokens.get(Math.max(0, position - 1));
    }

    private void enter(Token open) {
        if (++depth > MAX_DEPTH) {
            throw syntax(Category.LIMIT_EXCEEDED, "nested deeper than " + MAX_DEPTH + " levels", open);
        }
    }

    private boolean isWord(Token token, String word) {
        return token.kind() == Kind.WORD && text(token).equals(word);
    }

    private static boolean isLogicalSymbol(Token token) {
        return token.kind() == Kind.AND_AND || token.kind() == Kind.OR_OR || token.kind() == Kind.XOR_XOR;
    }

    /** Keywords are lowercase only; {@code AND} or {@code Eq} get an error that says so. */
    private void checkKeywordCase(Token token) {
        if (token.kind() == Kind.WORD) {
            String word = text(token);
            String lower = word.toLowerCase(Locale.ROOT);
            if (!lower.equals(word) && KEYWORDS.contains(lower)) {
                throw syntax(Category.UNEXPECTED_TOKEN,
                        "keywords are lowercase: write '" + lower + "', not '" + word + "'", token);
            }
        }
    }

    private String text(Token token) {
        return source.slice(token.start(), token.end());
    }

    private String text(Ast ast) {
        return source.slice(ast.start(), ast.end());
    }

    private String describe(Token token) {
        return switch (token.kind()) {
            case END_OF_INPUT -> "end of input";
            case QUOTED_STRING, RAW_STRING -> "a string";
            default -> "'" + text(token) + "'";
        };
    }

    private String lineColumn(Token token) {
        RuleError at = source.error(Category.UNEXPECTED_TOKEN, "", token.start(), token.end());
        return at.line() + ":" + at.column();
    }

    private static String article(Type type) {
        String name = type.toString();
        return ("AEIOU".indexOf(name.charAt(0)) >= 0 ? "an " : "a ") + name;
    }

    private void error(Category category, String message, int from, int to) {
        errors.add(source.error(category, message, from, to));
    }

    private SyntaxError syntax(Category category, String message, Token token) {
        return new SyntaxError(source.error(category, message, token.start(), token.end()));
    }
}
