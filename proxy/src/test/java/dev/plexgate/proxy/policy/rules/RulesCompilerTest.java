package dev.plexgate.proxy.policy.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.plexgate.proxy.policy.IpLiterals;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Limits, positions and the compiled program's contract: what the text files cannot express. */
final class RulesCompilerTest {

    private static RuleError onlyError(String expression) {
        RuleCompileException failure = catchThrowableOfType(RuleCompileException.class,
                () -> RulesCompiler.compile(expression, TestContexts.STANDARD));
        assertThat(failure).as("rejected: %s", expression).isNotNull();
        assertThat(failure.errors()).hasSize(1);
        return failure.errors().get(0);
    }

    @Test
    void compile_lengthOf4096_isAccepted() throws Exception {
        String expression = "http.host eq \"" + "a".repeat(4096 - 15) + "\"";
        assertThat(expression).hasSize(4096);
        assertThat(RulesCompiler.compile(expression, TestContexts.STANDARD).source()).isEqualTo(expression);
    }

    @Test
    void compile_lengthOf4097_isRefusedAtTheFirstCharacterBeyond() {
        String expression = "  http.host eq \"" + "a".repeat(4097 - 15) + "\"\n";
        RuleError error = onlyError(expression);
        assertThat(error.category()).isEqualTo(RuleError.Category.LIMIT_EXCEEDED);
        assertThat(error.message()).isEqualTo("expression is 4097 characters long (limit: 4096)");
        assertThat(error.offset()).isEqualTo(2 + 4096);
        assertThat(error.column()).isEqualTo(2 + 4096 + 1);
    }

    @Test
    void compile_nesting128_isAccepted() throws Exception {
        String expression = "(".repeat(128) + "ssl" + ")".repeat(128);
        assertThat(RulesCompiler.compile(expression, TestContexts.STANDARD).matches(facts().ssl(true).build()))
                .isTrue();
    }

    @Test
    void compile_nesting129_isRefusedAtTheDeepestParenthesis() {
        RuleError error = onlyError("(".repeat(129) + "ssl" + ")".repeat(129));
        assertThat(error.category()).isEqualTo(RuleError.Category.LIMIT_EXCEEDED);
        assertThat(error.message()).isEqualTo("nested deeper than 128 levels");
        assertThat(error.column()).isEqualTo(129);
    }

    @Test
    void compile_callsCountTowardsNesting() {
        String deepest = "(".repeat(64) + "lower(".repeat(65) + "http.host" + ")".repeat(65) + " eq \"a\""
                + ")".repeat(64);
        assertThat(onlyError(deepest).category()).isEqualTo(RuleError.Category.LIMIT_EXCEEDED);
        String allowed = "(".repeat(64) + "lower(".repeat(64) + "http.host" + ")".repeat(64) + " eq \"a\""
                + ")".repeat(64);
        assertThatCode(() -> RulesCompiler.compile(allowed, TestContexts.STANDARD)).doesNotThrowAnyException();
    }

    @Test
    void compile_tab_isRefusedAsWhitespace() {
        RuleError error = onlyError("ssl\tand cf.client.bot");
        assertThat(error.render("rules[0].expression")).isEqualTo("""
                rules[0].expression:1:4: TAB is not whitespace in the Rules language (expected: spaces or line breaks)
                ssl\tand cf.client.bot
                   ^""");
        assertThat(error.category()).isEqualTo(RuleError.Category.UNEXPECTED_TOKEN);
    }

    @Test
    void compile_tabInsideAString_isPartOfTheString() throws Exception {
        assertThat(RulesCompiler.compile("http.user_agent eq \"a\tb\"", TestContexts.STANDARD)
                .matches(facts().userAgent("a\tb").build())).isTrue();
    }

    @Test
    void compile_onlyLineBreaks_isEmpty() {
        RuleError error = onlyError("\n\n");
        assertThat(error.category()).isEqualTo(RuleError.Category.EMPTY_EXPRESSION);
        assertThat(error.offset()).isZero();
        assertThat(error.line()).isEqualTo(1);
    }

    @Test
    void compile_trimmedText_keepsOffsetsOfTheUntrimmedText() {
        RuleError error = onlyError("\n  ip.source in $friends\n");
        assertThat(error.offset()).isEqualTo(3);
        assertThat(error.line()).isEqualTo(2);
        assertThat(error.column()).isEqualTo(3);
        assertThat(error.render("rule \"Restrict IPs\"")).isEqualTo("""
                rule "Restrict IPs":2:3: unknown field 'ip.source'
                  ip.source in $friends
                  ^^^^^^^^^""");
    }

    @Test
    void compile_nonAsciiBeforeTheError_offsetCountsBytesColumnCountsCharacters() {
        RuleError error = onlyError("http.host eq \"é\" and http.hots eq \"a\"");
        assertThat(error.offset()).isEqualTo(22);
        assertThat(error.column()).isEqualTo(22);
    }

    @Test
    void compile_crlfLineBreaks_areWhitespaceAndLeaveTheCaretLineClean() {
        RuleError error = onlyError("ssl and\r\nhttp.hots eq \"a\"");
        assertThat(error.line()).isEqualTo(2);
        assertThat(error.sourceLine()).isEqualTo("http.hots eq \"a\"");
    }

    @Test
    void compile_patternListsAndIpLists_areToldApart() {
        CompileContext noLists = new CompileContext(Map.of(), Set.of(), userAgent -> false);
        RuleCompileException failure = catchThrowableOfType(RuleCompileException.class,
                () -> RulesCompiler.compile("ip.src in $friends", noLists));
        assertThat(failure.errors().get(0).message()).isEqualTo("unknown list '$friends' (no IP lists are defined)");
    }

    @Test
    void compiled_reportsTheFieldsAndListsItReads() throws Exception {
        CompiledExpression compiled = RulesCompiler.compile(
                "ip.src in $friends and not cf.client.bot or any(http.request.headers[\"a\"][*] eq \"b\")",
                TestContexts.STANDARD);
        assertThat(compiled.fields()).containsExactlyInAnyOrder("ip.src", "cf.client.bot", "http.request.headers");
        assertThat(compiled.lists()).containsExactly("friends");
    }

    @Test
    void matches_asksTheBotClassifierOnlyWhenARuleReadsIt_andOncePerRequest() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CompileContext context = new CompileContext(Map.of("friends", TestContexts.FRIENDS), Set.of(), userAgent -> {
            calls.incrementAndGet();
            return userAgent.contains("bot");
        });
        CompiledExpression restrict = RulesCompiler.compile("not ip.src in $friends", context);
        CompiledExpression bots = RulesCompiler.compile("cf.client.bot", context);
        CompiledExpression notBots = RulesCompiler.compile("not cf.client.bot", context);
        RequestFacts facts = facts().userAgent("somebot/1").build();

        assertThat(restrict.matches(facts)).isTrue();
        assertThat(calls).hasValue(0);
        assertThat(bots.matches(facts)).isTrue();
        assertThat(notBots.matches(facts)).isFalse();
        assertThat(calls).hasValue(1);
    }

    @Test
    void matches_isSharedSafelyAcrossThreads() throws Exception {
        CompiledExpression compiled = RulesCompiler.compile(
                "any(lower(http.request.headers.names[*])[*] == \"x-api-key\") and ip.src in {10.0.0.0/8}",
                TestContexts.STANDARD);
        Thread[] threads = new Thread[4];
        AtomicInteger wrong = new AtomicInteger();
        for (int t = 0; t < threads.length; t++) {
            boolean withKey = t % 2 == 0;
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    RequestFacts.Builder builder = RequestFacts.builder(IpLiterals.parse("10.1.2.3"));
                    if (withKey) {
                        builder.header("X-Api-Key", "k");
                    }
                    if (compiled.matches(builder.build()) != withKey) {
                        wrong.incrementAndGet();
                    }
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(wrong).hasValue(0);
    }

    private static RequestFacts.Builder facts() {
        return RequestFacts.builder(IpLiterals.parse("192.0.2.1"));
    }
}
