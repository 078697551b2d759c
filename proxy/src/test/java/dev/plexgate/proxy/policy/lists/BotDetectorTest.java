package dev.plexgate.proxy.policy.lists;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

final class BotDetectorTest {

    /**
     * The benchmark's list, in the same format, from the project's shared folder beside the
     * checkout (../shared); it exists wherever these tests run, CI included.
     */
    private static final Path BENCH_BOTS = shippedFile("../shared/bench/bots.txt");

    private static PatternListFile shipped;
    private static BotDetector detector;

    @BeforeAll
    static void loadShippedList() throws ListException {
        shipped = PatternListFile.read(shippedFile("conf/bots.list"));
        detector = BotDetector.create(shipped);
    }

    @Test
    void shippedList_loadsCleanly_andNamesItsSourceAndLicence() throws IOException {
        assertThat(shipped.warnings()).isEmpty();
        assertThat(shipped.patterns()).hasSizeGreaterThanOrEqualTo(300);
        assertThat(Files.readString(shipped.file()))
                .contains("https://github.com/monperrus/crawler-user-agents")
                .contains("The MIT License (MIT)")
                .contains("# " + shipped.patterns().size() + " patterns.");
    }

    @Test
    void everyShippedSubstring_isDetected_whateverItsCase() {
        List<String> missed = shipped.patterns().stream()
                .filter(pattern -> !pattern.regex())
                .flatMap(pattern -> Stream.of(pattern.text(), pattern.text().toUpperCase(Locale.ROOT)))
                .map(text -> "Mozilla/5.0 (compatible; " + text + "/1.0; +https://example.com/bot)")
                .filter(userAgent -> !detector.isBot(userAgent))
                .toList();

        assertThat(missed).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)",
            "mozilla/5.0 (compatible; googlebot/2.1; +http://www.google.com/bot.html)",
            "python-requests/2.31.0",
            "Go-http-client/1.1",
            "Silk/1.0", // the regex /^Silk\// for the old fetcher, not Amazon's browser
            "Mozilla/5.0 (compatible; Yeti/1.1; +http://naver.me/bot)",
            "Mozilla/5.0 (compatible; ClaudeBot/1.0; +claudebot@anthropic.com)",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0"
                    + " Safari/537.36",
            "Mozilla/5.0 zgrab/0.x",
            "sqlmap/1.8#stable (https://sqlmap.org)",
    })
    void knownBots_areBots(String userAgent) {
        assertThat(detector.isBot(userAgent)).isTrue();
        assertThat(detector.firstMatch(userAgent)).isPresent();
    }

    @ParameterizedTest
    @MethodSource("humanUserAgents")
    void plexClientsBrowsersPlayersAndCurl_areNeverBots(String userAgent) {
        assertThat(detector.firstMatch(userAgent)).isEmpty();
        assertThat(detector.isBot(userAgent)).isFalse();
    }

    @Test
    void humanUserAgents_coverEnoughClients() throws IOException {
        assertThat(humanUserAgents()).hasSizeGreaterThanOrEqualTo(25);
    }

    @Test
    void absentOrEmptyUserAgent_isNotABot() {
        assertThat(detector.isBot("")).isFalse(); // what wrk sends: no User-Agent at all
        assertThat(detector.isBot(null)).isFalse();
        assertThat(detector.firstMatch("")).isEmpty();
    }

    @Test
    void benchList_loadsAsIs_andDetectsItsOwnPatterns() throws ListException {
        assertThat(Files.isRegularFile(BENCH_BOTS))
                .as("%s is missing: the bench's lists must be present wherever these tests run", BENCH_BOTS)
                .isTrue();
        PatternListFile bench = PatternListFile.read(BENCH_BOTS);
        BotDetector benchDetector = BotDetector.create(bench);

        assertThat(bench.patterns()).isNotEmpty().noneMatch(UserAgentPattern::regex);
        assertThat(bench.patterns()).allSatisfy(pattern -> {
            String userAgent = "Mozilla/5.0 (compatible; " + pattern.text() + "/2.1)";
            assertThat(benchDetector.isBot(userAgent)).as(userAgent).isTrue();
            assertThat(detector.isBot(userAgent)).as("conf/bots.list on %s", userAgent).isTrue();
        });
        assertThat(benchDetector.isBot("curl/8.5.0")).isFalse();
        assertThat(benchDetector.isBot("PlexMediaPlayer/2.58.0.1076-38e019da (Linux 6.1; x86_64)")).isFalse();
        assertThat(benchDetector.isBot("")).isFalse();
    }

    @Test
    void firstMatch_namesTheEarliestLine_substringOrRegex() throws ListException {
        BotDetector small = BotDetector.create(PatternListFile.parse(Path.of("bots.list"), """
                LateBot
                /^Early/
                /Bot$/
                """));

        assertThat(small.firstMatch("Early LateBot")).map(UserAgentPattern::line).contains(1);
        assertThat(small.firstMatch("Early riser")).map(UserAgentPattern::line).contains(2);
        assertThat(small.firstMatch("OtherBot")).map(UserAgentPattern::toString).contains("/Bot$/");
        assertThat(small.isBot("otherbot")).as("regexes keep their case").isFalse();
        assertThat(small.isBot("Early")).isTrue();
    }

    @Test
    void aListWithoutRegexesOrWithoutSubstrings_works() throws ListException {
        assertThat(BotDetector.create(PatternListFile.parse(Path.of("a"), "/^x/\n")).isBot("xyz")).isTrue();
        assertThat(BotDetector.create(PatternListFile.parse(Path.of("b"), "bot\n")).isBot("xyz")).isFalse();
        assertThat(BotDetector.create(PatternListFile.parse(Path.of("c"), "# none\n")).isBot("anybot")).isFalse();
    }

    @Test
    void aFloodOfDistinctUserAgents_staysWithinTheCacheBound() {
        BotDetector fresh = BotDetector.create(shipped);
        for (int i = 0; i < 50_000; i++) {
            String userAgent = (i % 2 == 0 ? "GPTBot/" : "Mozilla/5.0 Player/") + i;
            assertThat(fresh.isBot(userAgent)).isEqualTo(i % 2 == 0);
        }

        assertThat(fresh.cachedVerdicts()).isPositive().isLessThanOrEqualTo(BotDetector.DEFAULT_CACHE_SIZE);
    }

    @Test
    void overlongUserAgents_areJudgedButNotCached() {
        BotDetector fresh = BotDetector.create(shipped);
        String padding = "x".repeat(BotDetector.MAX_CACHED_LENGTH);

        assertThat(fresh.isBot(padding + " GPTBot")).isTrue();
        assertThat(fresh.isBot(padding + " Chrome")).isFalse();
        assertThat(fresh.cachedVerdicts()).isZero();
    }

    static List<String> humanUserAgents() throws IOException {
        try (var in = Objects.requireNonNull(BotDetectorTest.class.getResourceAsStream("/lists/human-user-agents.txt"),
                "lists/human-user-agents.txt on the test class path")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .toList();
        }
    }

    /** Finds a file of the checkout from wherever the tests run (the module or the project directory). */
    private static Path shippedFile(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(relative))) {
                return dir.resolve(relative).normalize();
            }
        }
        throw new IllegalStateException(relative + " not found above " + Path.of("").toAbsolutePath());
    }
}
