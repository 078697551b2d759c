package dev.plexgate.control.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code plexgate export cloudflare} from config files, compared with the shapes of RULES.md §9. */
final class ExportCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ZONE = "0123456789abcdef0123456789abcdef";
    private static final String ACCOUNT = "fedcba9876543210fedcba9876543210";

    private static final String REFERENCE = """
            lists:
              friends: allow.list
              bots: {file: bots.list, kind: bots}
            rules:
              - name: Allow IPs to skip WAF
                expression: ip.src in $friends
                action: skip
              - name: Restrict IPs
                expression: not ip.src in $friends
                action: block
              - name: Block bots
                expression: cf.client.bot
                action: block
            """;

    /** RULES.md §9's example, as printed there. */
    private static final String RULES_MD_EXAMPLE = """
            {
              "description": "plexgate custom rules",
              "rules": [
                { "description": "Allow IPs to skip WAF", "expression": "ip.src in $friends",
                  "action": "skip", "action_parameters": { "ruleset": "current" },
                  "logging": { "enabled": true }, "enabled": true },
                { "description": "Restrict IPs", "expression": "not ip.src in $friends",
                  "action": "block", "enabled": true },
                { "description": "Block bots", "expression": "cf.client.bot",
                  "action": "block", "enabled": true }
              ]
            }
            """;

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void lists() throws IOException {
        Files.writeString(dir.resolve("allow.list"), "203.0.113.7 bob\n198.51.100.0/24 office\n192.0.2.1\n");
        Files.writeString(dir.resolve("bots.list"), "GPTBot\n");
    }

    @Test
    void referenceSetup_customRulesBody_isRulesMdExample_fieldByField() throws IOException {
        assertThat(export(REFERENCE, "--zone-id", ZONE, "--account-id", ACCOUNT)).isZero();

        JsonNode document = JSON.readTree(out.toString());
        JsonNode custom = document.get("custom_rules");
        assertThat(custom.get("method").asText()).isEqualTo("PUT");
        assertThat(custom.get("path").asText())
                .isEqualTo("/zones/" + ZONE + "/rulesets/phases/http_request_firewall_custom/entrypoint");
        JsonNode expected = JSON.readTree(RULES_MD_EXAMPLE);
        JsonNode body = custom.get("body");
        assertThat(body.get("description")).isEqualTo(expected.get("description"));
        assertThat(body.get("rules")).hasSize(3);
        for (int i = 0; i < 3; i++) {
            JsonNode rule = body.get("rules").get(i);
            JsonNode want = expected.get("rules").get(i);
            assertThat(fieldNames(rule)).as("rule %d fields in order", i).isEqualTo(fieldNames(want));
            for (String field : fieldNames(want)) {
                assertThat(rule.get(field)).as("rule %d %s", i, field).isEqualTo(want.get(field));
            }
        }
        assertThat(document.get("rate_limit_rules").get("body").get("rules")).isEmpty();
    }

    @Test
    void lists_createAndItems_withNamesAsComments() throws IOException {
        assertThat(export(REFERENCE, "--account-id", ACCOUNT)).isZero();

        JsonNode list = JSON.readTree(out.toString()).get("lists").get(0);
        assertThat(list.get("name").asText()).isEqualTo("friends");
        assertThat(list.get("create").get("method").asText()).isEqualTo("POST");
        assertThat(list.get("create").get("path").asText()).isEqualTo("/accounts/" + ACCOUNT + "/rules/lists");
        assertThat(list.get("create").get("body")).isEqualTo(JSON.readTree(
                "{\"name\": \"friends\", \"kind\": \"ip\", \"description\": \"plexgate: allow.list\"}"));
        assertThat(list.get("items").get("method").asText()).isEqualTo("PUT");
        assertThat(list.get("items").get("path").asText())
                .isEqualTo("/accounts/" + ACCOUNT + "/rules/lists/{friends_list_id}/items");
        assertThat(list.get("items").get("body")).isEqualTo(JSON.readTree("""
                [{"ip": "203.0.113.7", "comment": "bob"}, {"ip": "198.51.100.0/24", "comment": "office"},
                 {"ip": "192.0.2.1"}]
                """));
        assertThat(JSON.readTree(out.toString()).get("custom_rules").get("path").asText()).startsWith("/zones/{zone_id}/");
    }

    @Test
    void blockWithContent_andStatus_becomeTheResponse() throws IOException {
        String yaml = """
                rules:
                  - name: Go away
                    expression: http.request.uri.path eq "/admin"
                    action: block
                    status: 451
                    content: '{"error": "no"}'
                    content_type: application/json
                """;

        assertThat(export(yaml)).isZero();

        JsonNode rule = JSON.readTree(out.toString()).get("custom_rules").get("body").get("rules").get(0);
        assertThat(rule.get("action").asText()).isEqualTo("block");
        assertThat(rule.get("action_parameters")).isEqualTo(JSON.readTree("""
                {"response": {"status_code": 451, "content": "{\\"error\\": \\"no\\"}",
                              "content_type": "application/json"}}
                """));
        assertThat(rule.has("logging")).isFalse();
    }

    @Test
    void skip_withPhasesAndProducts() throws IOException {
        String yaml = """
                lists:
                  friends: allow.list
                rules:
                  - name: Friends skip everything
                    expression: ip.src in $friends
                    action: skip
                    skip: [current, rate_limit, sbfm, managed, waf, uaBlock]
                  - name: Friends skip rate limiting only
                    expression: ip.src in $friends
                    action: skip
                    skip: [rate_limit]
                """;

        assertThat(export(yaml)).isZero();

        JsonNode rules = JSON.readTree(out.toString()).get("custom_rules").get("body").get("rules");
        assertThat(rules.get(0).get("action_parameters")).isEqualTo(JSON.readTree("""
                {"ruleset": "current",
                 "phases": ["http_ratelimit", "http_request_sbfm", "http_request_firewall_managed"],
                 "products": ["uaBlock", "waf"]}
                """));
        assertThat(rules.get(0).get("logging")).isEqualTo(JSON.readTree("{\"enabled\": true}"));
        assertThat(rules.get(1).get("action_parameters")).isEqualTo(JSON.readTree("{\"phases\": [\"http_ratelimit\"]}"));
    }

    @Test
    void rateLimits_countPerAddressAndColo_blockWith429() throws IOException {
        String yaml = """
                lists:
                  friends: allow.list
                rate_limits:
                  - name: Slow down strangers
                    expression: not ip.src in $friends
                    period: 1m
                    requests_per_period: 50
                    mitigation_timeout: 10m
                """;

        assertThat(export(yaml, "--zone-id", ZONE)).isZero();

        JsonNode section = JSON.readTree(out.toString()).get("rate_limit_rules");
        assertThat(section.get("path").asText()).isEqualTo("/zones/" + ZONE + "/rulesets/phases/http_ratelimit/entrypoint");
        JsonNode rule = section.get("body").get("rules").get(0);
        assertThat(rule.get("description").asText()).isEqualTo("Slow down strangers");
        assertThat(rule.get("expression").asText()).isEqualTo("not ip.src in $friends");
        assertThat(rule.get("action").asText()).isEqualTo("block");
        assertThat(rule.get("action_parameters").get("response").get("status_code").asInt()).isEqualTo(429);
        assertThat(rule.get("ratelimit")).isEqualTo(JSON.readTree("""
                {"characteristics": ["ip.src", "cf.colo.id"], "period": 60, "requests_per_period": 50,
                 "mitigation_timeout": 600}
                """));
        assertThat(JSON.readTree(out.toString()).get("lists")).hasSize(1);
    }

    @Test
    void cacheRule_forTheHostName_orTheWholeZone_orNoneWithoutBypass() throws IOException {
        assertThat(export(REFERENCE, "--hostname", "plex.example.com")).isZero();
        JsonNode cache = JSON.readTree(out.toString()).get("cache_rules");
        assertThat(cache.get("path").asText()).isEqualTo("/zones/{zone_id}/rulesets/phases/http_request_cache_settings/entrypoint");
        assertThat(cache.get("body").get("rules").get(0)).isEqualTo(JSON.readTree("""
                {"description": "Bypass cache", "expression": "http.host eq \\"plex.example.com\\"",
                 "action": "set_cache_settings", "action_parameters": {"cache": false}, "enabled": true}
                """));

        assertThat(export(REFERENCE)).isZero();
        assertThat(JSON.readTree(out.toString()).get("cache_rules").get("body").get("rules").get(0)
                .get("expression").asText()).isEqualTo("true");

        assertThat(export(REFERENCE + "cache: {bypass: false}\n")).isZero();
        assertThat(JSON.readTree(out.toString()).has("cache_rules")).isFalse();
    }

    @Test
    void expression_byteIdentical_evenAsABlockScalar() throws IOException {
        String yaml = """
                rules:
                  - name: Odd one
                    expression: |
                      http.request.uri.path matches r"^/\\d+$" and
                      http.user_agent contains "Caf\u00e9"
                    action: block
                """;

        assertThat(export(yaml)).isZero();

        assertThat(JSON.readTree(out.toString()).get("custom_rules").get("body").get("rules").get(0)
                .get("expression").asText())
                .isEqualTo("http.request.uri.path matches r\"^/\\d+$\" and\nhttp.user_agent contains \"Caf\u00e9\"\n");
    }

    @Test
    void warnings_oneLineEach_whereTheEdgeDiffers() throws IOException {
        Files.writeString(dir.resolve("allow.list"), """
                2001:db8::7 carol
                2001:db8:1::/80 lab
                0.0.0.0/6 everyone
                203.0.113.7 bob
                """);
        String yaml = REFERENCE + """
                  - name: Note it
                    expression: http.request.uri.path eq "/x"
                    action: log
                  - name: Challenge
                    expression: http.request.uri.path eq "/y"
                    action: managed_challenge
                bot_fight_mode: true
                """;

        assertThat(export(yaml)).isZero();

        List<String> lines = err.toString().lines().toList();
        assertThat(lines).filteredOn(line -> line.startsWith("warning: ")).hasSize(6);
        assertThat(err.toString())
                .contains("warning: rule \"Block bots\": cf.client.bot means a verified good bot")
                .contains("warning: rule \"Note it\": action log is available at the edge on Enterprise plans only")
                .contains("warning: rule \"Challenge\": action managed_challenge challenges at the edge")
                .contains("warning: list $friends (allow.list:1): 2001:db8::7 is narrower than a Cloudflare list"
                        + " holds (IPv6 /64 at most): exported as 2001:db8::/64")
                .contains("warning: list $friends (allow.list:2): 2001:db8:1::/80 is narrower")
                .contains("warning: list $friends (allow.list:3): 0.0.0.0/6 is wider than a Cloudflare list holds"
                        + " (/8): exported as its 4 /8 networks")
                .contains("note: Bot Fight Mode is a zone setting, not a ruleset: turn it on with PUT"
                        + " /zones/{zone_id}/bot_management");
        JsonNode document = JSON.readTree(out.toString());
        assertThat(document.get("lists").get(0).get("items").get("body").findValuesAsText("ip")).containsExactly(
                "2001:db8::/64", "2001:db8:1::/64", "0.0.0.0/8", "1.0.0.0/8", "2.0.0.0/8", "3.0.0.0/8", "203.0.113.7");
        JsonNode rules = document.get("custom_rules").get("body").get("rules");
        assertThat(rules.get(3).get("action").asText()).isEqualTo("log");
        assertThat(rules.get(4).get("action").asText()).isEqualTo("managed_challenge");
    }

    @Test
    void terraform_listAndRulesetResources_balanced() throws IOException {
        String yaml = REFERENCE + """
                  - name: Template-looking
                    expression: http.request.uri.path eq "/${x}/%{y}"
                    action: block
                rate_limits:
                  - name: Slow down strangers
                    expression: not ip.src in $friends
                    period: 10s
                    requests_per_period: 50
                    mitigation_timeout: 10s
                """;

        assertThat(export(yaml, "--format", "terraform", "--zone-id", ZONE)).isZero();

        String hcl = out.toString();
        assertThat(hcl)
                .contains("source  = \"cloudflare/cloudflare\"")
                .contains("variable \"account_id\" {")
                .doesNotContain("variable \"zone_id\"")
                .contains("resource \"cloudflare_list\" \"friends\" {\n  account_id  = var.account_id\n"
                        + "  name        = \"friends\"\n  kind        = \"ip\"\n")
                .contains("  item {\n    comment = \"bob\"\n    value {\n      ip = \"203.0.113.7\"\n    }\n  }\n")
                .contains("resource \"cloudflare_ruleset\" \"plexgate_http_request_firewall_custom\" {\n"
                        + "  zone_id     = \"" + ZONE + "\"\n")
                .contains("  phase       = \"http_request_firewall_custom\"\n  depends_on  = [cloudflare_list.friends]\n")
                .contains("    expression  = \"ip.src in $friends\"\n")
                .contains("    action_parameters {\n      ruleset = \"current\"\n    }\n    logging {\n"
                        + "      enabled = true\n    }\n")
                .contains("expression  = \"http.request.uri.path eq \\\"/$${x}/%%{y}\\\"\"")
                .contains("resource \"cloudflare_ruleset\" \"plexgate_http_ratelimit\" {")
                .contains("      characteristics     = [\"ip.src\", \"cf.colo.id\"]\n      period              = 10\n")
                .contains("resource \"cloudflare_ruleset\" \"plexgate_http_request_cache_settings\" {")
                .contains("      cache = false\n");
        assertBalanced(hcl);
    }

    @Test
    void badIds_exit2() throws IOException {
        assertThat(export(REFERENCE, "--zone-id", "not-a-zone")).isEqualTo(2);
        assertThat(err.toString()).contains("'not-a-zone' is not a zone id");
        assertThat(export(REFERENCE, "--hostname", "plex.example.com\"")).isEqualTo(2);
        assertThat(export(REFERENCE, "--format", "yaml")).isEqualTo(2);
    }

    /** Braces and brackets pair up outside strings, and every string is closed. */
    private static void assertBalanced(String hcl) {
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < hcl.length(); i++) {
            char c = hcl.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                } else {
                    assertThat(c).as("raw newline in a string").isNotEqualTo('\n');
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
                assertThat(depth).as("closing at %d", i).isGreaterThanOrEqualTo(0);
            }
        }
        assertThat(inString).isFalse();
        assertThat(depth).isZero();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private int export(String yaml, String... args) throws IOException {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        Path config = Files.writeString(dir.resolve("plexgate.yml"), yaml);
        List<String> all = new ArrayList<>(List.of("export", "cloudflare", "-c", config.toString()));
        all.addAll(List.of(args));
        CommandLine commandLine = PlexgateCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(all.toArray(String[]::new));
    }
}
