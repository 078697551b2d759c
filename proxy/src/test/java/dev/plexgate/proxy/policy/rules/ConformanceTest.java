package dev.plexgate.proxy.policy.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.plexgate.proxy.policy.IpLiterals;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The conformance suite, data-driven from {@code src/test/resources/rules/}:
 * <ul>
 *   <li>{@code parse_ok.txt}: one accepted expression a line, optionally {@code  => } the grouping the
 *       parser must give it;</li>
 *   <li>{@code parse_errors.txt}: blocks of {@code > expression}, {@code = CATEGORY ...}, then the exact
 *       text a user reads ({@code rules[1].expression:line:col: message}, source line, carets);</li>
 *   <li>{@code evaluate.txt}: {@code [request name]} blocks of facts, then {@code [cases name]} blocks of
 *       {@code true|false expression} lines.</li>
 * </ul>
 * In expressions and facts, ⏎ stands for a line break; facts are UTF-8 text, as a client would send.
 */
final class ConformanceTest {

    private static final String LOCATION = "rules[1].expression";

    @ParameterizedTest(name = "parse_ok.txt:{0}: {1}")
    @MethodSource("parseOk")
    void parseOk_isAcceptedWithItsGrouping(int line, String expression, String grouping) throws Exception {
        CompiledExpression compiled = RulesCompiler.compile(expression, TestContexts.STANDARD);
        assertThat(compiled.source()).isEqualTo(expression);
        if (grouping != null) {
            List<RuleError> errors = new ArrayList<>();
            assertThat(RulesCompiler.check(new SourceText(expression), TestContexts.STANDARD, errors))
                    .hasToString(grouping);
        }
    }

    @ParameterizedTest(name = "parse_errors.txt:{0}: {1}")
    @MethodSource("parseErrors")
    void parseErrors_areRenderedExactly(int line, String expression, String categories, String rendered) {
        RuleCompileException failure = catchThrowableOfType(RuleCompileException.class,
                () -> RulesCompiler.compile(expression, TestContexts.STANDARD));
        assertThat(failure).as("rejected").isNotNull();
        assertThat(failure.render(LOCATION)).isEqualTo(rendered);
        assertThat(failure.errors().stream().map(e -> e.category().name()).collect(Collectors.joining(" ")))
                .isEqualTo(categories);
    }

    @ParameterizedTest(name = "evaluate.txt:{0}: {2} on {1} is {3}")
    @MethodSource("evaluations")
    void evaluate_matchesAsCloudflareDoes(int line, String request, String expression, boolean expected,
            RequestFacts facts) throws Exception {
        assertThat(RulesCompiler.compile(expression, TestContexts.STANDARD).matches(facts)).isEqualTo(expected);
    }

    static Stream<Arguments> parseOk() throws IOException {
        List<Arguments> cases = new ArrayList<>();
        List<String> lines = read("parse_ok.txt");
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int arrow = line.indexOf("  =>  ");
            cases.add(arrow < 0 ? Arguments.of(i + 1, unescape(line), null)
                    : Arguments.of(i + 1, unescape(line.substring(0, arrow)), line.substring(arrow + 6)));
        }
        return cases.stream();
    }

    static Stream<Arguments> parseErrors() throws IOException {
        List<Arguments> cases = new ArrayList<>();
        List<String> lines = read("parse_errors.txt");
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).startsWith("> ")) {
                continue;
            }
            int start = i;
            String expression = unescape(lines.get(i).substring(2));
            String categories = lines.get(++i).substring(2);
            List<String> rendered = new ArrayList<>();
            while (i + 1 < lines.size() && !lines.get(i + 1).isEmpty()) {
                rendered.add(lines.get(++i));
            }
            cases.add(Arguments.of(start + 1, expression, categories, String.join("\n", rendered)));
        }
        return cases.stream();
    }

    static Stream<Arguments> evaluations() throws IOException {
        Map<String, RequestFacts> requests = new HashMap<>();
        List<Arguments> cases = new ArrayList<>();
        List<String> lines = read("evaluate.txt");
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("[request ")) {
                String name = line.substring(9, line.length() - 1);
                List<String> facts = new ArrayList<>();
                while (i + 1 < lines.size() && !lines.get(i + 1).isEmpty()) {
                    facts.add(lines.get(++i));
                }
                requests.put(name, request(facts));
            } else if (line.startsWith("[cases ")) {
                String name = line.substring(7, line.length() - 1);
                RequestFacts facts = requests.get(name);
                while (i + 1 < lines.size() && !lines.get(i + 1).isEmpty()) {
                    String caseLine = lines.get(++i);
                    if (caseLine.startsWith("#")) {
                        continue;
                    }
                    int space = caseLine.indexOf(' ');
                    String verdict = caseLine.substring(0, space);
                    if (!verdict.equals("true") && !verdict.equals("false")) {
                        throw new IllegalArgumentException("evaluate.txt:" + (i + 1) + ": expected true or false");
                    }
                    cases.add(Arguments.of(i + 1, name, unescape(caseLine.substring(space + 1).strip()),
                            Boolean.parseBoolean(verdict), facts));
                }
            }
        }
        return cases.stream();
    }

    /** {@code key: value} lines: ip, country, method, uri, ssl, and {@code header: Name: value}. */
    private static RequestFacts request(List<String> lines) {
        String ip = lines.get(0).substring("ip: ".length());
        RequestFacts.Builder builder = RequestFacts.builder(IpLiterals.parse(ip));
        for (String line : lines.subList(1, lines.size())) {
            int colon = line.indexOf(": ");
            String key = line.substring(0, colon);
            String value = RequestFacts.utf8Bytes(unescape(line.substring(colon + 2)));
            switch (key) {
                case "country" -> builder.country(value);
                case "method" -> builder.method(value);
                case "uri" -> builder.uri(value);
                case "ssl" -> builder.ssl(Boolean.parseBoolean(value));
                case "header" -> {
                    int separator = value.indexOf(": ");
                    builder.header(value.substring(0, separator), value.substring(separator + 2));
                }
                default -> throw new IllegalArgumentException("unknown fact '" + key + "'");
            }
        }
        return builder.build();
    }

    private static String unescape(String text) {
        return text.replace("\u23CE", "\n");
    }

    private static List<String> read(String name) throws IOException {
        try (InputStream in = Objects.requireNonNull(ConformanceTest.class.getResourceAsStream("/rules/" + name),
                name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }
}
