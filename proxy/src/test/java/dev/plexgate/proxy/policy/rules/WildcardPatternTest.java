package dev.plexgate.proxy.policy.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class WildcardPatternTest {

    @ParameterizedTest(name = "{0} ~ {1}: {2} (strict: {3})")
    @CsvSource(delimiter = '|', value = {
            "*.example.com     | a.example.com      | true  | true",
            "*.example.com     | .example.com       | true  | true",
            "*.example.com     | example.com        | false | false",
            "*.EXAMPLE.com     | a.example.com      | true  | false",
            "a*b*c             | abc                | true  | true",
            "a*b*c             | aXbYbZc            | true  | true",
            "a*b*c             | acb                | false | false",
            "*a*a              | aa                 | true  | true",
            "*a*a              | a                  | false | false",
            "ab*ba             | aba                | false | false",
            "*                 | ''                 | true  | true",
            "''                | ''                 | true  | true",
            "''                | x                  | false | false",
            "caf\u00e9         | CAF\u00c9          | false | false",
            "caf\u00e9         | CAF\u00e9          | true  | false",
    })
    void matches_wholeValueWithAnyRunForStar(String pattern, String value, boolean plain, boolean strict) {
        assertThat(WildcardPattern.compile(pattern, false).matches(value)).isEqualTo(plain);
        assertThat(WildcardPattern.compile(pattern, true).matches(value)).isEqualTo(strict);
    }
}
