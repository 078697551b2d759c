package dev.plexgate.proxy.policy.rules;

import com.google.re2j.Pattern;
import dev.plexgate.proxy.policy.BotClassifier;
import dev.plexgate.proxy.policy.IpMatcher;
import dev.plexgate.proxy.policy.rules.Ast.Literal;
import dev.plexgate.proxy.policy.rules.Ast.Operator;
import dev.plexgate.proxy.policy.rules.Ast.Selector;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns a checked tree into {@link Nodes} closures, once per config load. Everything that can be
 * decided from the expression alone (regexes, sets, range tables, which field to read) is decided
 * here, so evaluation only reads facts and compares.
 *
 * <p>An array is compiled as a {@link View}: where its elements come from and how one element is
 * computed from a source element. {@code lower(names[*])} is the names with {@code lower} applied
 * per element, so indexing, {@code len()} and {@code any()} need no intermediate list.
 */
final class Compiler {

    private final BotClassifier bots;
    private final Set<String> fields = new TreeSet<>();
    private final Set<String> lists = new TreeSet<>();

    private Compiler(BotClassifier bots) {
        this.bots = bots;
    }

    /** The evaluator with the fields and lists it reads. */
    record Result(Nodes.Bool root, Set<String> fields, Set<String> lists) {
    }

    static Result compile(Ast ast, BotClassifier bots) {
        Compiler compiler = new Compiler(bots);
        Nodes.Bool root = compiler.bool(ast);
        return new Result(root, Set.copyOf(compiler.fields), Set.copyOf(compiler.lists));
    }

    /** An array's elements: those of {@code source}, each passed through {@code element}. */
    private record View(Nodes.Array source, Object element, Type elementType) {
    }

    // ---- conditions

    private Nodes.Bool bool(Ast ast) {
        if (ast instanceof Ast.Logical logical) {
            return logical(logical);
        }
        if (ast instanceof Ast.Not not) {
            return not(not);
        }
        if (ast instanceof Ast.Compare compare) {
            return compare(compare.left(), compare.operator(), compare.right());
        }
        if (ast instanceof Ast.FieldRef field) {
            fields.add(field.field().fieldName());
            return field.field() == Field.SSL ? (facts, element) -> facts.ssl()
                    : (facts, element) -> facts.isBot(bots);
        }
        if (ast instanceof Ast.Call call) {
            return boolCall(call);
        }
        return (Nodes.Bool) element((Ast.Index) ast);
    }

    private Nodes.Bool logical(Ast.Logical logical) {
        Nodes.Bool[] operands = logical.operands().stream().map(this::bool).toArray(Nodes.Bool[]::new);
        return switch (logical.operator()) {
            case AND -> (facts, element) -> {
                for (Nodes.Bool operand : operands) {
                    if (!operand.evaluate(facts, element)) {
                        return false;
                    }
                }
                return true;
            };
            case OR -> (facts, element) -> {
                for (Nodes.Bool operand : operands) {
                    if (operand.evaluate(facts, element)) {
                        return true;
                    }
                }
                return false;
            };
            case XOR -> (facts, element) -> {
                boolean odd = false;
                for (Nodes.Bool operand : operands) {
                    odd ^= operand.evaluate(facts, element);
                }
                return odd;
            };
        };
    }

    /** A run of {@code not} folds to its parity: conditions are two-valued once a missing value reads false. */
    private Nodes.Bool not(Ast.Not not) {
        boolean negate = false;
        Ast operand = not;
        while (operand instanceof Ast.Not inner) {
            negate = !negate;
            operand = inner.operand();
        }
        Nodes.Bool inner = bool(operand);
        return negate ? (facts, element) -> !inner.evaluate(facts, element) : inner;
    }

    private Nodes.Bool boolCall(Ast.Call call) {
        List<Ast> arguments = call.arguments();
        return switch (call.function()) {
            case ANY, ALL -> reduce(call.function() == Function.ALL, view(arguments.get(0)));
            case STARTS_WITH, ENDS_WITH -> affix(call.function(), str(arguments.get(0)), arguments.get(1));
            default -> throw new IllegalStateException("not a condition: " + call);
        };
    }

    /** {@code any()} / {@code all()}; a missing array makes both false, an empty one makes {@code all()} true. */
    private static Nodes.Bool reduce(boolean all, View view) {
        Nodes.Array source = view.source();
        Nodes.Bool test = (Nodes.Bool) view.element();
        return (facts, element) -> {
            List<?> elements = source.evaluate(facts, element);
            if (elements == null) {
                return false;
            }
            for (int i = 0; i < elements.size(); i++) {
                if (test.evaluate(facts, elements.get(i)) != all) {
                    return !all;
                }
            }
            return all;
        };
    }

    private static Nodes.Bool affix(Function function, Nodes.Str subject, Ast literal) {
        String affix = ((Ast.StringLiteral) literal).value();
        if (function == Function.STARTS_WITH) {
            return (facts, element) -> {
                String value = subject.evaluate(facts, element);
                return value != null && value.startsWith(affix);
            };
        }
        return (facts, element) -> {
            String value = subject.evaluate(facts, element);
            return value != null && value.endsWith(affix);
        };
    }

    // ---- comparisons

    private Nodes.Bool compare(Ast left, Operator operator, Literal right) {
        if (left.type().is(Type.Kind.EACH)) {
            throw new IllegalStateException("a comparison on [*] is an array: " + left);
        }
        return switch (left.type().kind()) {
            case IP -> {
                fields.add(Field.IP_SRC.fieldName());
                yield compareIp(operator, right);
            }
            case INT -> compareInt(integer(left), operator, right);
            default -> compareString(str(left), operator, right);
        };
    }

    /** The comparison of one element of {@code x[*]}; the left node reads the element. */
    private Nodes.Bool compareElement(Object left, Type type, Operator operator, Literal right) {
        return type.is(Type.Kind.INT) ? compareInt((Nodes.Int) left, operator, right)
                : compareString((Nodes.Str) left, operator, right);
    }

    private Nodes.Bool compareIp(Operator operator, Literal right) {
        if (right instanceof Literal.IpValue value) {
            // An IPv4 and an IPv6 address are never equal, so ne is true between families.
            InetAddress address = value.address();
            return operator == Operator.EQ ? (facts, element) -> address.equals(facts.ipSrc())
                    : (facts, element) -> !address.equals(facts.ipSrc());
        }
        if (right instanceof Literal.IpSet set) {
            IpRangeSet ranges = set.ranges();
            return (facts, element) -> ranges.contains(facts);
        }
        Literal.ListRef list = (Literal.ListRef) right;
        lists.add(list.name());
        IpMatcher matcher = list.matcher();
        return (facts, element) -> matcher.contains(facts.ipSrcBytes());
    }

    private static Nodes.Bool compareInt(Nodes.Int left, Operator operator, Literal right) {
        if (right instanceof Literal.IntSet set) {
            IntRangeSet ranges = set.ranges();
            return (facts, element) -> {
                long value = left.evaluate(facts, element);
                return value != Nodes.Int.MISSING && ranges.contains(value);
            };
        }
        long literal = ((Literal.IntValue) right).value();
        return switch (operator) {
            case EQ -> (facts, element) -> {
                long value = left.evaluate(facts, element);
                return value != Nodes.Int.MISSING && value == literal;
            };
            case NE -> (facts, element) -> {
                long value = left.evaluate(facts, element);
                return value != Nodes.Int.MISSING && value != literal;
            };
            case LT -> (facts, element) -> {
                long value = left.evaluate(facts, element);
                return value != Nodes.Int.MISSING && value < literal;
            };
            case LE -> (facts, element) -> {
                long value = left.evaluate(facts, element);
                return value != Nodes.Int.MISSING && value <= literal;
            };
            case GT -> (facts, element) -> {
                long value = left.evaluate(facts, element);
                return value != Nodes.Int.MISSING && value > literal;
            };
            case GE -> (facts, element) -> {
                long value = left.evaluate(facts, element);
                return value != Nodes.Int.MISSING && value >= literal;
            };
            default -> throw new IllegalStateException(operator + " on an Int");
        };
    }

    private Nodes.Bool compareString(Nodes.Str left, Operator operator, Literal right) {
        if (right instanceof Literal.Regex regex) {
            Pattern pattern = regex.pattern();
            return (facts, element) -> {
                String value = left.evaluate(facts, element);
                return value != null && pattern.matcher(value).find();
            };
        }
        if (right instanceof Literal.Wildcard wildcard) {
            WildcardPattern pattern = wildcard.pattern();
            return (facts, element) -> {
                String value = left.evaluate(facts, element);
                return value != null && pattern.matches(value);
            };
        }
        if (right instanceof Literal.StringSet set) {
            Set<String> values = set.values();
            return (facts, element) -> {
                String value = left.evaluate(facts, element);
                return value != null && values.contains(value);
            };
        }
        return compareString(left, operator, ((Literal.StringValue) right).value());
    }

    private static Nodes.Bool compareString(Nodes.Str left, Operator operator, String literal) {
        return switch (operator) {
            case EQ -> (facts, element) -> literal.equals(left.evaluate(facts, element));
            case NE -> (facts, element) -> {
                String value = left.evaluate(facts, element);
                return value != null && !value.equals(literal);
            };
            case CONTAINS -> (facts, element) -> {
                String value = left.evaluate(facts, element);
                return value != null && value.contains(literal);
            };
            // One char per byte, so comparing chars is comparing unsigned bytes.
            case LT -> (facts, element) -> {
                String value = left.evaluate(facts, element);
                return value != null && value.compareTo(literal) < 0;
            };
            case LE -> (facts, element) -> {
                String value = left.evaluate(facts, element);
                return value != null && value.compareTo(literal) <= 0;
            };
            case GT -> (facts, element) -> {
                String value = left.evaluate(facts, element);
                return value != null && value.compareTo(literal) > 0;
            };
            case GE -> (facts, element) -> {
                String value = left.evaluate(facts, element);
                return value != null && value.compareTo(literal) >= 0;
            };
            default -> throw new IllegalStateException(operator + " with a string");
        };
    }

    // ---- values

    private Nodes.Str str(Ast ast) {
        if (ast instanceof Ast.FieldRef field) {
            return stringField(field.field());
        }
        if (ast instanceof Ast.StringLiteral literal) {
            String value = literal.value();
            return (facts, element) -> value;
        }
        if (ast instanceof Ast.Index index) {
            return (Nodes.Str) element(index);
        }
        return (Nodes.Str) scalarCall((Ast.Call) ast);
    }

    private Nodes.Str stringField(Field field) {
        fields.add(field.fieldName());
        return switch (field) {
            case IP_SRC_COUNTRY, IP_GEOIP_COUNTRY -> (facts, element) -> facts.country();
            case HTTP_HOST -> (facts, element) -> facts.host();
            case HTTP_USER_AGENT -> (facts, element) -> facts.userAgent();
            case HTTP_REFERER -> (facts, element) -> facts.referer();
            case HTTP_COOKIE -> (facts, element) -> facts.cookie();
            case HTTP_X_FORWARDED_FOR -> (facts, element) -> facts.xForwardedFor();
            case HTTP_REQUEST_METHOD -> (facts, element) -> facts.method();
            case HTTP_REQUEST_URI -> (facts, element) -> facts.uri();
            case HTTP_REQUEST_URI_PATH -> (facts, element) -> facts.path();
            case HTTP_REQUEST_URI_QUERY -> (facts, element) -> facts.query();
            case HTTP_REQUEST_FULL_URI -> (facts, element) -> facts.fullUri();
            default -> throw new IllegalStateException("not a String field: " + field);
        };
    }

    private Nodes.Int integer(Ast ast) {
        return ast instanceof Ast.Index index ? (Nodes.Int) element(index) : (Nodes.Int) scalarCall((Ast.Call) ast);
    }

    /** {@code array[i]}: the element node applied to the i-th source element, or missing. */
    private Object element(Ast.Index index) {
        View view = view(index.target());
        int position = ((Selector.Position) index.selector()).position();
        Nodes.Array source = view.source();
        return switch (view.elementType().kind()) {
            case INT -> {
                Nodes.Int element = (Nodes.Int) view.element();
                yield (Nodes.Int) (facts, current) -> {
                    List<?> elements = source.evaluate(facts, current);
                    return elements == null || position >= elements.size() ? Nodes.Int.MISSING
                            : element.evaluate(facts, elements.get(position));
                };
            }
            case BOOL -> {
                Nodes.Bool element = (Nodes.Bool) view.element();
                yield (Nodes.Bool) (facts, current) -> {
                    List<?> elements = source.evaluate(facts, current);
                    return elements != null && position < elements.size()
                            && element.evaluate(facts, elements.get(position));
                };
            }
            default -> {
                Nodes.Str element = (Nodes.Str) view.element();
                yield (Nodes.Str) (facts, current) -> {
                    List<?> elements = source.evaluate(facts, current);
                    return elements == null || position >= elements.size() ? null
                            : element.evaluate(facts, elements.get(position));
                };
            }
        };
    }

    /** An Array or {@code x[*]} value as a view over its source. */
    private View view(Ast ast) {
        if (ast instanceof Ast.FieldRef field) {
            fields.add(field.field().fieldName());
            Nodes.Array source = field.field() == Field.HTTP_REQUEST_HEADERS_NAMES
                    ? (facts, element) -> facts.headerNames() : (facts, element) -> facts.headerValues();
            return new View(source, Nodes.CURRENT_STRING, Type.STRING);
        }
        if (ast instanceof Ast.Index index && index.target().type().is(Type.Kind.MAP)) {
            fields.add(Field.HTTP_REQUEST_HEADERS.fieldName());
            if (index.selector() instanceof Selector.Key key) {
                String name = key.key();
                return new View((facts, element) -> facts.headers().get(name), Nodes.CURRENT_STRING, Type.STRING);
            }
            return new View((facts, element) -> facts.headerValueLists(), Nodes.CURRENT_ARRAY, Type.STRING_ARRAY);
        }
        if (ast instanceof Ast.Index index) {
            return view(index.target()); // x[*] visits the elements of x
        }
        if (ast instanceof Ast.Compare compare) {
            View elements = view(compare.left());
            return new View(elements.source(), compareElement(elements.element(), elements.elementType(),
                    compare.operator(), compare.right()), Type.BOOL);
        }
        Ast.Call call = (Ast.Call) ast;
        if (call.arguments().get(0).type().is(Type.Kind.EACH)) {
            return mappedCall(call);
        }
        return new View(concatArrays(call), Nodes.CURRENT_STRING, Type.STRING);
    }

    // ---- functions

    /** A call on scalars. */
    private Object scalarCall(Ast.Call call) {
        Ast first = call.arguments().get(0);
        if (call.function() == Function.LEN && first.type().is(Type.Kind.ARRAY)) {
            Nodes.Array source = view(first).source();
            return (Nodes.Int) (facts, element) -> {
                List<?> elements = source.evaluate(facts, element);
                return elements == null ? Nodes.Int.MISSING : elements.size();
            };
        }
        if (call.function() == Function.STARTS_WITH || call.function() == Function.ENDS_WITH) {
            return affix(call.function(), str(first), call.arguments().get(1));
        }
        return stringFunction(call, str(first));
    }

    /** A call whose first argument is {@code x[*]}: the function applied to each element. */
    private View mappedCall(Ast.Call call) {
        View elements = view(call.arguments().get(0));
        Type elementType = elements.elementType();
        Object node = switch (call.function()) {
            case LEN -> elementType.is(Type.Kind.ARRAY) ? lengthOfArray((Nodes.Array) elements.element())
                    : lengthOfString((Nodes.Str) elements.element());
            case STARTS_WITH, ENDS_WITH -> affix(call.function(), (Nodes.Str) elements.element(),
                    call.arguments().get(1));
            case CONCAT -> elementType.is(Type.Kind.ARRAY)
                    ? concatArrays(call, (Nodes.Array) elements.element())
                    : stringFunction(call, (Nodes.Str) elements.element());
            default -> stringFunction(call, (Nodes.Str) elements.element());
        };
        Type resultType = call.type().element();
        return new View(elements.source(), node, resultType);
    }

    private static Nodes.Int lengthOfString(Nodes.Str subject) {
        return (facts, element) -> {
            String value = subject.evaluate(facts, element);
            return value == null ? Nodes.Int.MISSING : value.length();
        };
    }

    private static Nodes.Int lengthOfArray(Nodes.Array subject) {
        return (facts, element) -> {
            List<?> value = subject.evaluate(facts, element);
            return value == null ? Nodes.Int.MISSING : value.size();
        };
    }

    /** lower, upper, url_decode, concat of strings and len of a string, on {@code subject}. */
    private Object stringFunction(Ast.Call call, Nodes.Str subject) {
        return switch (call.function()) {
            case LOWER -> (Nodes.Str) (facts, element) -> {
                String value = subject.evaluate(facts, element);
                return value == null ? null : ByteStrings.lowerAscii(value);
            };
            case UPPER -> (Nodes.Str) (facts, element) -> {
                String value = subject.evaluate(facts, element);
                return value == null ? null : ByteStrings.upperAscii(value);
            };
            case LEN -> lengthOfString(subject);
            case URL_DECODE -> {
                String options = call.arguments().size() > 1 ? ((Ast.StringLiteral) call.arguments().get(1)).value() : "";
                boolean repeat = options.contains("r");
                boolean unicode = options.contains("u");
                yield (Nodes.Str) (facts, element) -> {
                    String value = subject.evaluate(facts, element);
                    return value == null ? null : ByteStrings.urlDecode(value, repeat, unicode);
                };
            }
            case CONCAT -> {
                List<Nodes.Str> parts = new ArrayList<>(List.of(subject));
                call.arguments().stream().skip(1).map(this::str).forEach(parts::add);
                Nodes.Str[] all = parts.toArray(Nodes.Str[]::new);
                yield (Nodes.Str) (facts, element) -> {
                    StringBuilder joined = new StringBuilder();
                    for (Nodes.Str part : all) {
                        String value = part.evaluate(facts, element);
                        if (value == null) {
                            return null;
                        }
                        joined.append(value);
                    }
                    return joined.toString();
                };
            }
            default -> throw new IllegalStateException("not a String function: " + call);
        };
    }

    /** {@code concat(a, b, …)} of Array<String> values: the only place a new list is built. */
    private Nodes.Array concatArrays(Ast.Call call) {
        return concatArrays(call, materialize(view(call.arguments().get(0))));
    }

    private Nodes.Array concatArrays(Ast.Call call, Nodes.Array first) {
        List<Nodes.Array> parts = new ArrayList<>(List.of(first));
        call.arguments().stream().skip(1).map(argument -> materialize(view(argument))).forEach(parts::add);
        Nodes.Array[] all = parts.toArray(Nodes.Array[]::new);
        return (facts, element) -> {
            List<Object> joined = new ArrayList<>();
            for (Nodes.Array part : all) {
                List<?> values = part.evaluate(facts, element);
                if (values == null) {
                    return null;
                }
                joined.addAll(values);
            }
            return joined;
        };
    }

    /** The elements of {@code view} as a list: the source itself unless elements are computed. */
    private static Nodes.Array materialize(View view) {
        Nodes.Array source = view.source();
        if (view.element() == Nodes.CURRENT_STRING || view.element() == Nodes.CURRENT_ARRAY) {
            return source;
        }
        Nodes.Str element = (Nodes.Str) view.element();
        return (facts, current) -> {
            List<?> values = source.evaluate(facts, current);
            if (values == null) {
                return null;
            }
            List<String> computed = new ArrayList<>(values.size());
            for (Object value : values) {
                String result = element.evaluate(facts, value);
                if (result == null) {
                    return null;
                }
                computed.add(result);
            }
            return computed;
        };
    }
}
