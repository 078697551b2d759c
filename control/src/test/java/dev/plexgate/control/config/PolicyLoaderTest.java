package dev.plexgate.control.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plexgate.proxy.policy.IpLiterals;
import dev.plexgate.proxy.policy.RuleAction;
import dev.plexgate.proxy.policy.rules.RequestFacts;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class PolicyLoaderTest {

    @TempDir
    Path dir;

    @Test
    void referenceSetup_friendSkips_strangerBlocked_botBlocked() throws Exception {
        Files.writeString(dir.resolve("allow.list"), "203.0.113.7 bob\n");
        Files.writeString(dir.resolve("bots.list"), "GPTBot\n");
        PlexgateConfig config = parse("""
                lists:
                  friends: allow.list
                  bots: {file: bots.list, kind: bots}
                rules:
                  - name: Allow IPs to skip WAF
                    expression: ip.src in $friends
                    action: skip
                    skip: [current, rate_limit, sbfm]
                  - name: Restrict IPs
                    expression: not ip.src in $friends
                    action: block
                  - name: Block bots
                    expression: cf.client.bot
                    action: block
                bot_fight_mode: true
                """);

        try (LoadedPolicy loaded = load(config.policy())) {
            assertThat(loaded.warnings()).isEmpty();
            assertThat(loaded.policy().decide(facts("203.0.113.7", "Plex/1.0")).action()).isEqualTo(RuleAction.SKIP);
            assertThat(loaded.policy().decide(facts("198.51.100.9", "Plex/1.0")).rule()).isEqualTo("Restrict IPs");
        }
    }

    @Test
    void unknownField_reportedAtItsColumnInTheYamlFile_withCarets() throws Exception {
        PlexgateConfig config = parse("""
                rules:
                  - name: Restrict IPs
                    expression: not ip.source in {192.0.2.1}
                    action: block
                """);

        assertThatThrownBy(() -> load(config.policy()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(dir.resolve("plexgate.yml") + ":3:21: rules[0].expression: unknown field 'ip.source'")
                .hasMessageEndingWith("\nnot ip.source in {192.0.2.1}\n    ^^^^^^^^^");
    }

    private PlexgateConfig parse(String yaml) throws ConfigException {
        return ConfigLoader.parse(dir.resolve("plexgate.yml"), yaml);
    }

    private static LoadedPolicy load(PolicyConfig config) throws ConfigException {
        return PolicyLoader.load(config, new SimpleMeterRegistry(), null, null);
    }

    private static RequestFacts facts(String ip, String userAgent) {
        return RequestFacts.builder(IpLiterals.parse(ip)).userAgent(userAgent).build();
    }
}
