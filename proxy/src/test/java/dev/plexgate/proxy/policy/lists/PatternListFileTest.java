package dev.plexgate.proxy.policy.lists;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class PatternListFileTest {

    private static final Path FILE = Path.of("bots.list");

    @Test
    void parse_substringsRegexesAndComments() throws ListException {
        PatternListFile file = PatternListFile.parse(FILE, """
                # Known bots
                GPTBot
                  Screaming Frog SEO Spider   # spaces inside a pattern are part of it
                C#Crawler
                /^Silk\\//
                /yandex\\.com\\/bots/   # an escaped slash inside
                /a #b/
                /x/y/# a slash inside, then a comment right after the closing one
                \t
                """);

        assertThat(file.patterns()).containsExactly(
                new UserAgentPattern("GPTBot", false, 2),
                new UserAgentPattern("Screaming Frog SEO Spider", false, 3),
                new UserAgentPattern("C#Crawler", false, 4),
                new UserAgentPattern("^Silk\\/", true, 5),
                new UserAgentPattern("yandex\\.com\\/bots", true, 6),
                new UserAgentPattern("a #b", true, 7),
                new UserAgentPattern("x/y", true, 8));
        assertThat(file.patterns().get(3)).hasToString("/^Silk\\//");
        assertThat(file.warnings()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/unclosed         | bots.list:1:1: no closing '/' for the regular expression (expected: /regex/, then"
                    + " nothing but an optional '# comment')",
            "/a/ trailing      | bots.list:1:1: no closing '/' for the regular expression (expected: /regex/, then"
                    + " nothing but an optional '# comment')",
            "//                | bots.list:1:1: empty regular expression (expected: an RE2 pattern between the"
                    + " slashes)",
            "/Bot(/            | bots.list:1:2: invalid regular expression /Bot(/: missing closing ) (expected: RE2"
                    + " syntax, https://github.com/google/re2/wiki/Syntax)",
            "/x(?=y)/          | bots.list:1:2: invalid regular expression /x(?=y)/: invalid or unsupported Perl"
                    + " syntax (expected: RE2 syntax, https://github.com/google/re2/wiki/Syntax)",
            "/x*/              | bots.list:1:2: regular expression /x*/ matches the empty string, so it would match"
                    + " every user agent",
    })
    void parse_badLine_saysWhereAndWhatWasExpected(String line, String expected) {
        assertThatThrownBy(() -> PatternListFile.parse(FILE, line))
                .isInstanceOfSatisfying(ListException.class, e -> assertThat(e.problems())
                        .singleElement().hasToString(expected));
    }

    @Test
    void parse_reportsEveryBadLine_withItsColumn() {
        assertThatThrownBy(() -> PatternListFile.parse(FILE, "ok\n   /a(/\nfine\n\t/b\n"))
                .isInstanceOfSatisfying(ListException.class, e -> assertThat(e.problems())
                        .map(ListProblem::toString)
                        .containsExactly(
                                "bots.list:2:5: invalid regular expression /a(/: missing closing ) (expected: RE2"
                                        + " syntax, https://github.com/google/re2/wiki/Syntax)",
                                "bots.list:4:2: no closing '/' for the regular expression (expected: /regex/, then"
                                        + " nothing but an optional '# comment')"));
    }

    @Test
    void parse_duplicates_areWarnings_substringsIgnoringCase() throws ListException {
        PatternListFile file = PatternListFile.parse(FILE, "GPTBot\n/Bot/\n  gptbot\n/Bot/\n/bot/\n");

        assertThat(file.patterns()).hasSize(5);
        assertThat(file.warnings()).map(ListProblem::toString).containsExactly(
                "bots.list:3:3: 'gptbot' duplicates line 1",
                "bots.list:4:1: '/Bot/' duplicates line 2");
    }

    @Test
    void read_fromAFile(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("bots.list");
        Files.writeString(path, "\uFEFFGPTBot\r\n/^curl-bot/\r\n");

        assertThat(PatternListFile.read(path).patterns()).map(UserAgentPattern::toString)
                .containsExactly("GPTBot", "/^curl-bot/");
        assertThatThrownBy(() -> PatternListFile.read(dir.resolve("missing.list")))
                .hasMessage(dir.resolve("missing.list") + ": no such file");
    }
}
