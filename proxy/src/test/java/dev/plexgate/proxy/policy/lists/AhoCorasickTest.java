package dev.plexgate.proxy.policy.lists;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

final class AhoCorasickTest {

    @Test
    void findsOverlappingAndNestedPatterns() {
        AhoCorasick automaton = new AhoCorasick(List.of("he", "she", "his", "hers", "bot"));

        assertThat(automaton.matchesAny("ushers")).isTrue();
        assertThat(automaton.firstMatch("ushers")).isZero(); // "she", "he" and "hers" all occur; "he" is first
        assertThat(automaton.firstMatch("a ROBOT")).isEqualTo(4);
        assertThat(automaton.matchesAny("xyz")).isFalse();
        assertThat(automaton.firstMatch("")).isEqualTo(-1);
    }

    @Test
    void ignoresCase_beyondAscii() {
        AhoCorasick automaton = new AhoCorasick(List.of("Ünïcode-Bot"));

        assertThat(automaton.matchesAny("x üNÏCODE-bOT/1.0")).isTrue();
        assertThat(automaton.matchesAny("unicode-bot")).isFalse();
    }

    /** One pass of the automaton against {@code String.contains} for every pattern, on random texts. */
    @Test
    void agreesWithANaiveSearch() {
        Random random = new Random(1_234_567L);
        String alphabet = "abAB-/é";
        for (int round = 0; round < 50; round++) {
            List<String> patterns = new ArrayList<>();
            for (int i = 0; i < 1 + random.nextInt(40); i++) {
                patterns.add(randomText(random, alphabet, 1 + random.nextInt(5)));
            }
            AhoCorasick automaton = new AhoCorasick(patterns);
            for (int probe = 0; probe < 500; probe++) {
                String text = randomText(random, alphabet + "xyz", random.nextInt(30));
                int expected = -1;
                for (int i = 0; i < patterns.size() && expected < 0; i++) {
                    if (fold(text).contains(fold(patterns.get(i)))) {
                        expected = i;
                    }
                }
                assertThat(automaton.firstMatch(text)).as("%s in %s", patterns, text).isEqualTo(expected);
                assertThat(automaton.matchesAny(text)).isEqualTo(expected >= 0);
            }
        }
    }

    private static String randomText(Random random, String alphabet, int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    private static String fold(String text) {
        StringBuilder folded = new StringBuilder();
        text.chars().forEach(c -> folded.append(Character.toLowerCase((char) c)));
        return folded.toString();
    }
}
