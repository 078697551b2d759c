package dev.plexgate.control.config;

import dev.plexgate.control.config.PolicyConfig.ConfiguredAction;
import dev.plexgate.control.config.PolicyConfig.ListDefinition;
import dev.plexgate.control.config.PolicyConfig.ListKind;
import dev.plexgate.control.config.PolicyConfig.RateLimitDefinition;
import dev.plexgate.control.config.PolicyConfig.RuleDefinition;
import dev.plexgate.proxy.policy.BlockResponse;
import dev.plexgate.proxy.policy.RuleAction;
import dev.plexgate.proxy.policy.SkipPhase;
import dev.plexgate.proxy.policy.ratelimit.RateLimit;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Binds {@code lists}, {@code rules}, {@code rate_limits} and {@code bot_fight_mode} into a
 * {@link PolicyConfig}. Only what the file itself shows is checked here; list files and
 * expressions are {@link PolicyLoader}'s.
 */
final class PolicySections {

    static final List<String> TOP_KEYS = List.of("lists", "rules", "rate_limits", "bot_fight_mode");

    private static final List<String> LIST_KEYS = List.of("file", "kind");
    private static final List<String> RULE_KEYS =
            List.of("name", "expression", "action", "skip", "status", "content", "content_type");
    private static final List<String> RATE_LIMIT_KEYS =
            List.of("name", "expression", "period", "requests_per_period", "mitigation_timeout");
    // Cloudflare's list names, which rules write after '$'.
    private static final Pattern LIST_NAME = Pattern.compile("[a-z0-9_]{1,50}");
    // The periods Cloudflare's rate limiting rules offer.
    private static final List<Duration> PERIODS = List.of(Duration.ofSeconds(10), Duration.ofMinutes(1),
            Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofHours(1));
    private static final String ACTIONS = "block, skip, log, managed_challenge, js_challenge or challenge";
    private static final String SKIP_WORDS = Arrays.stream(SkipPhase.values()).map(SkipPhase::word)
            .collect(Collectors.joining(", "));
    private static final String CONTENT_TYPES = "text/html, text/plain, application/json or text/xml";

    private final Section top;
    private final Path directory;
    private final String document;
    private final Path file;
    private final Problems problems;
    /** Rule and rate limit names, with the line of the first use: they label the same events and meters. */
    private final Map<String, Integer> names = new HashMap<>();

    private PolicySections(Section top, Path directory, String document, Path file, Problems problems) {
        this.top = top;
        this.directory = directory;
        this.document = document;
        this.file = file;
        this.problems = problems;
    }

    /**
     * @param top       the document's top level, opened with {@link #TOP_KEYS} among its keys
     * @param directory the config file's directory, against which list paths resolve
     * @param document  the file's whole text, to locate expressions character by character
     * @param file      the file as named to plexgate
     */
    static PolicyConfig bind(Section top, Path directory, String document, Path file, Problems problems) {
        return new PolicySections(top, directory, document, file, problems).bind();
    }

    private PolicyConfig bind() {
        Map<String, ListDefinition> lists = lists();
        List<RuleDefinition> rules = new ArrayList<>();
        for (Section rule : top.sections("rules", RULE_KEYS)) {
            RuleDefinition definition = rule(rule);
            if (definition != null) {
                rules.add(definition);
            }
        }
        List<RateLimitDefinition> rateLimits = new ArrayList<>();
        for (Section rateLimit : top.sections("rate_limits", RATE_LIMIT_KEYS)) {
            RateLimitDefinition definition = rateLimit(rateLimit);
            if (definition != null) {
                rateLimits.add(definition);
            }
        }
        boolean botFightMode = top.value("bot_fight_mode", false, Values::bool);
        if (botFightMode && lists.values().stream().noneMatch(list -> list.kind() == ListKind.BOTS)) {
            top.reject("bot_fight_mode", "true but no list has kind bots (expected: a list of known bots,"
                    + " such as bots: {file: bots.list, kind: bots}, or false)");
        }
        return new PolicyConfig(lists, rules, rateLimits, botFightMode);
    }

    private Map<String, ListDefinition> lists() {
        Map<String, ListDefinition> lists = new LinkedHashMap<>();
        ListDefinition bots = null;
        for (YamlNode.Entry entry : top.namedEntries("lists", "one list a line, such as friends: allow.list")) {
            String key = "lists." + entry.key();
            if (!LIST_NAME.matcher(entry.key()).matches()) {
                problems.add(entry.line(), entry.column(), key + ": invalid list name (expected: up to 50"
                        + " lowercase letters, digits and '_', the name rules write after '$')");
                continue;
            }
            ListDefinition list = list(entry, key);
            if (list == null) {
                continue;
            }
            if (list.kind() == ListKind.BOTS && bots != null) {
                problems.add(entry.line(), entry.column(), key + ": a second list of kind bots, after '" + bots.name()
                        + "' (expected: one list of kind bots: it alone decides cf.client.bot)");
                continue;
            }
            bots = list.kind() == ListKind.BOTS ? list : bots;
            lists.put(list.name(), list);
        }
        return lists;
    }

    /** {@code name: file} (an IP list) or {@code name: {file: ..., kind: ip|bots}}. */
    private ListDefinition list(YamlNode.Entry entry, String key) {
        SourceLocation at = new SourceLocation(file, entry.line(), entry.column());
        ValueParser<Path> path = Values.file(directory, "a list file, such as allow.list or /etc/plexgate/allow.list");
        if (entry.value() instanceof YamlNode.Mapping) {
            Section section = Section.at(entry.value(), key, LIST_KEYS, problems);
            Path listFile = section.required("file", "a list file, such as allow.list", path);
            String kind = section.value("kind", ListKind.IP.word(), Values.oneOf(List.of("ip", "bots")));
            return listFile == null ? null : new ListDefinition(entry.key(), listFile,
                    kind.equals("bots") ? ListKind.BOTS : ListKind.IP, at);
        }
        try {
            return new ListDefinition(entry.key(), path.parse(entry.value()), ListKind.IP, at);
        } catch (InvalidValue e) {
            problems.add(entry.value(), key + ": " + e.getMessage());
            return null;
        }
    }

    private RuleDefinition rule(Section rule) {
        String name = name(rule);
        ExpressionSource expression = expression(rule);
        ConfiguredAction action = rule.required("action", ACTIONS, node -> {
            ConfiguredAction found = node instanceof YamlNode.Scalar scalar && scalar.type() == YamlNode.Type.STRING
                    ? ConfiguredAction.byWord(scalar.text()) : null;
            if (found == null) {
                throw InvalidValue.of(node, "is not an action", ACTIONS);
            }
            return found;
        });
        BlockResponse block = null;
        Set<SkipPhase> skip = Set.of();
        if (action != null) {
            block = action == ConfiguredAction.BLOCK ? blockResponse(rule)
                    : action.local() == RuleAction.BLOCK ? BlockResponse.DEFAULT : null;
            for (String key : List.of("status", "content", "content_type")) {
                if (action != ConfiguredAction.BLOCK && rule.has(key)) {
                    rule.reject(key, "only a block rule has " + (key.equals("content") ? "" : "a ") + key
                            + " (expected: action: block, or no " + key
                            + (action.challenge() ? "; plexgate answers a challenge with 403" : "") + ")");
                }
            }
            if (action == ConfiguredAction.SKIP) {
                skip = skipPhases(rule);
            } else if (rule.has("skip")) {
                rule.reject("skip", "only a skip rule skips (expected: action: skip, or no skip)");
            }
        }
        if (name == null || expression == null || action == null) {
            return null;
        }
        return new RuleDefinition(name, expression, action, block, skip, location(rule));
    }

    /** A block's status and optional content; bad values are reported and left at their defaults. */
    private BlockResponse blockResponse(Section rule) {
        ValueParser<Integer> integer = Values::integer;
        int status = rule.value("status", BlockResponse.DEFAULT.status(),
                integer.checkedBy(value -> new BlockResponse(value, null, null)));
        String content = rule.value("content", null, PolicySections::content);
        String contentType = rule.value("content_type", null,
                Values.oneOf(List.of("text/html", "text/plain", "application/json", "text/xml")));
        if (rule.has("content") && !rule.has("content_type")) {
            rule.reject("content", "has no content_type (expected: content_type: " + CONTENT_TYPES + ")");
        } else if (rule.has("content_type") && !rule.has("content")) {
            rule.reject("content_type", "without content (expected: content: the response body, or no content_type)");
        }
        return content != null && contentType != null
                ? new BlockResponse(status, content, contentType)
                : new BlockResponse(status, null, null);
    }

    /** A block's body: any text up to 2 KB, never echoed in a message. */
    private static String content(YamlNode node) throws InvalidValue {
        if (!(node instanceof YamlNode.Scalar scalar && scalar.type() == YamlNode.Type.STRING && !scalar.isEmpty())) {
            throw InvalidValue.of(node, "is not text", "the response body as text");
        }
        int bytes = scalar.text().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > BlockResponse.MAX_CONTENT_BYTES) {
            throw new InvalidValue("a body of " + bytes + " bytes (expected: at most " + BlockResponse.MAX_CONTENT_BYTES
                    + " bytes, as at Cloudflare)");
        }
        return scalar.text();
    }

    private Set<SkipPhase> skipPhases(Section rule) {
        if (!rule.has("skip")) {
            return Set.of(SkipPhase.CURRENT);
        }
        List<SkipPhase> phases = rule.list("skip", List.of(), node -> {
            SkipPhase phase = node instanceof YamlNode.Scalar scalar && scalar.type() == YamlNode.Type.STRING
                    ? skipPhase(scalar.text()) : null;
            if (phase == null) {
                throw InvalidValue.of(node, "is not something a rule can skip", SKIP_WORDS);
            }
            return phase;
        });
        if (phases.isEmpty() && rule.node("skip") instanceof YamlNode.Sequence sequence && sequence.items().isEmpty()) {
            rule.reject("skip", "an empty list skips nothing (expected: one or more of " + SKIP_WORDS + ")");
        }
        return phases.isEmpty() ? Set.of(SkipPhase.CURRENT) : EnumSet.copyOf(phases);
    }

    /** RULES.md §8 calls the remaining custom rules {@code rules}, Cloudflare's API {@code current}. */
    private static SkipPhase skipPhase(String word) {
        return word.equals("rules") ? SkipPhase.CURRENT : SkipPhase.byWord(word);
    }

    private RateLimitDefinition rateLimit(Section section) {
        String name = name(section);
        ExpressionSource expression = expression(section);
        ValueParser<Duration> duration = Values::duration;
        Duration period = section.required("period", "10s, 1m, 2m, 5m, 10m or 1h", duration.checkedBy(value -> {
            if (!PERIODS.contains(value)) {
                throw new IllegalArgumentException("(expected: 10s, 1m, 2m, 5m, 10m or 1h, the periods Cloudflare offers)");
            }
        }));
        ValueParser<Integer> count = Values::integer;
        Integer requests = section.required("requests_per_period", "a whole number such as 100",
                count.checkedBy(value -> new RateLimit(Duration.ofMinutes(1), value, Duration.ZERO)));
        Duration timeout = section.value("mitigation_timeout", Duration.ZERO,
                duration.checkedBy(value -> new RateLimit(Duration.ofMinutes(1), 1, value)));
        if (name == null || expression == null || period == null || requests == null) {
            return null;
        }
        return new RateLimitDefinition(name, expression, new RateLimit(period, requests, timeout), location(section));
    }

    /** A non-empty name that no other rule or rate limit has. */
    private String name(Section section) {
        String name = section.required("name", "a name such as Restrict IPs",
                node -> text(node, "is not a name", "a name such as Restrict IPs"));
        if (name == null) {
            return null;
        }
        YamlNode node = section.node("name");
        Integer first = names.putIfAbsent(name, node.line());
        if (first != null) {
            section.reject("name", "'" + name + "' is taken by the rule on line " + first
                    + " (expected: a name no other rule or rate limit has)");
            return null;
        }
        return name;
    }

    private ExpressionSource expression(Section section) {
        return section.required("expression", "a rule such as ip.src in $friends", node -> {
            text(node, "is not an expression", "a rule such as ip.src in $friends, in quotes if YAML reads it as"
                    + " a number or a boolean");
            return ExpressionSource.of((YamlNode.Scalar) node, document, file);
        });
    }

    private SourceLocation location(Section section) {
        return new SourceLocation(file, section.node().line(), section.node().column());
    }

    /** The text of a non-empty, non-blank string value. */
    private static String text(YamlNode node, String problem, String expected) throws InvalidValue {
        if (node instanceof YamlNode.Scalar scalar && scalar.type() == YamlNode.Type.STRING && !scalar.text().isBlank()) {
            return scalar.text();
        }
        throw InvalidValue.of(node, problem, expected);
    }
}
