package dev.plexgate.proxy.policy.rules;

import com.google.re2j.Pattern;
import dev.plexgate.proxy.policy.IpMatcher;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The typed syntax tree the parser builds: every node knows its type and its span ({@code [start,
 * end)} chars of the source). Literals are already decoded and checked, so compiling cannot fail.
 * {@link #toString()} shows the grouping with parentheses, which is how the tests pin precedence.
 */
sealed interface Ast {

    Type type();

    int start();

    int end();

    record FieldRef(Field field, int start, int end) implements Ast {
        @Override
        public Type type() {
            return field.type();
        }

        @Override
        public String toString() {
            return field.fieldName();
        }
    }

    /** {@code target["key"]}, {@code target[0]} or {@code target[*]}. */
    record Index(Ast target, Selector selector, Type type, int start, int end) implements Ast {
        @Override
        public String toString() {
            return target + "[" + selector + "]";
        }
    }

    sealed interface Selector {
        record Key(String key) implements Selector {
            @Override
            public String toString() {
                return "\"" + key + "\"";
            }
        }

        record Position(int position) implements Selector {
            @Override
            public String toString() {
                return Integer.toString(position);
            }
        }

        record Each() implements Selector {
            @Override
            public String toString() {
                return "*";
            }
        }
    }

    /** A call; when the first argument is {@code x[*]} the function maps over its elements. */
    record Call(Function function, List<Ast> arguments, Type type, int start, int end) implements Ast {
        @Override
        public String toString() {
            return function.functionName() + "("
                    + arguments.stream().map(Object::toString).collect(Collectors.joining(", ")) + ")";
        }
    }

    /** A string literal argument of a function, already unescaped (one char per byte). */
    record StringLiteral(String value, int start, int end) implements Ast {
        @Override
        public Type type() {
            return Type.STRING;
        }

        @Override
        public String toString() {
            return "\"" + value + "\"";
        }
    }

    record Compare(Ast left, Operator operator, Literal right, String rightText, Type type, int start, int end)
            implements Ast {
        @Override
        public String toString() {
            return left + " " + operator.word() + " " + rightText;
        }
    }

    record Logical(LogicalOperator operator, List<Ast> operands, int start, int end) implements Ast {
        @Override
        public Type type() {
            return Type.BOOL;
        }

        @Override
        public String toString() {
            return operands.stream().map(Object::toString)
                    .collect(Collectors.joining(" " + operator.word() + " ", "(", ")"));
        }
    }

    record Not(Ast operand, int start, int end) implements Ast {
        @Override
        public Type type() {
            return operand.type();
        }

        @Override
        public String toString() {
            return "not " + operand;
        }
    }

    /** Stands for a part already reported as an error, so that it causes no further errors. */
    record Invalid(int start, int end) implements Ast {
        @Override
        public Type type() {
            return Type.ERROR;
        }

        @Override
        public String toString() {
            return "?";
        }
    }

    enum LogicalOperator {
        AND("and"), XOR("xor"), OR("or");

        private final String word;

        LogicalOperator(String word) {
            this.word = word;
        }

        String word() {
            return word;
        }
    }

    enum Operator {
        EQ("eq"), NE("ne"), LT("lt"), LE("le"), GT("gt"), GE("ge"), CONTAINS("contains"), MATCHES("matches"),
        WILDCARD("wildcard"), STRICT_WILDCARD("strict wildcard"), IN("in");

        private final String word;

        Operator(String word) {
            this.word = word;
        }

        String word() {
            return word;
        }
    }

    /** The right-hand side of a comparison, decoded and checked against the left side's type. */
    sealed interface Literal {
        /** One char per byte. */
        record StringValue(String value) implements Literal {
        }

        record IntValue(long value) implements Literal {
        }

        record IpValue(InetAddress address) implements Literal {
        }

        record Regex(Pattern pattern) implements Literal {
        }

        record Wildcard(WildcardPattern pattern) implements Literal {
        }

        record StringSet(Set<String> values) implements Literal {
        }

        record IntSet(IntRangeSet ranges) implements Literal {
        }

        record IpSet(IpRangeSet ranges) implements Literal {
        }

        record ListRef(String name, IpMatcher matcher) implements Literal {
        }

        /** Follows an error already reported. */
        record Invalid() implements Literal {
        }
    }
}
