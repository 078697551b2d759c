package dev.plexgate.control.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.plexgate.agent.TunnelSettings;
import dev.plexgate.proxy.ProxySettings;
import dev.plexgate.proxy.ProxySettings.Limits;
import dev.plexgate.proxy.ProxySettings.Timeouts;
import dev.plexgate.proxy.Transport;
import dev.plexgate.proxy.events.EventLogSettings;
import dev.plexgate.proxy.policy.BlockResponse;
import dev.plexgate.proxy.policy.Cidr;
import dev.plexgate.proxy.policy.IpLiterals;
import dev.plexgate.proxy.policy.SkipPhase;
import dev.plexgate.proxy.upstream.UpstreamAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

final class ConfigLoaderTest {

    private static final Path FILE = Path.of("/etc/plexgate/plexgate.yml");
    private static final String TIMEOUT_KEYS =
            "connect, response_header, request_header, keep_alive, stream_idle, upstream_keep_alive, shutdown";
    private static final String TOP_KEYS =
            "listen, listen_tls, upstream, upstream_tls, trusted_proxies, client_ip_header, cache, event_loops, transport, timeouts, limits, events, lists,"
            + " rules, rate_limits, bot_fight_mode, tunnel, admin";

    @Test
    void shippedConfig_loads_defaultsButForTheReferencePolicy() throws ConfigException {
        // Surefire runs in the module's directory; conf/ is the checkout's.
        Path shipped = Path.of("../conf/plexgate.yml");
        PlexgateConfig config = ConfigLoader.load(shipped);

        assertThat(config.proxy()).isEqualTo(PlexgateConfig.defaults().proxy());
        assertThat(config.events()).isEqualTo(PlexgateConfig.defaults().events());
        assertThat(config.tunnel()).isEqualTo(TunnelSettings.DISABLED);
        Path conf = shipped.toAbsolutePath().getParent().normalize();
        assertThat(config.policy().lists().values())
                .extracting(PolicyConfig.ListDefinition::name, PolicyConfig.ListDefinition::file,
                        PolicyConfig.ListDefinition::kind)
                .containsExactly(tuple("friends", conf.resolve("allow.list"), PolicyConfig.ListKind.IP),
                        tuple("bots", conf.resolve("bots.list"), PolicyConfig.ListKind.BOTS));
        assertThat(config.policy().rules())
                .extracting(rule -> rule.name(), rule -> rule.expression().text(), rule -> rule.action(),
                        rule -> rule.skip())
                .containsExactly(
                        tuple("Allow IPs to skip WAF", "ip.src in $friends", PolicyConfig.ConfiguredAction.SKIP,
                                Set.of(SkipPhase.CURRENT, SkipPhase.RATE_LIMIT, SkipPhase.SBFM)),
                        tuple("Restrict IPs", "not ip.src in $friends", PolicyConfig.ConfiguredAction.BLOCK, Set.of()),
                        tuple("Block bots", "cf.client.bot", PolicyConfig.ConfiguredAction.BLOCK, Set.of()));
        assertThat(config.policy().rules()).extracting(PolicyConfig.RuleDefinition::block)
                .containsExactly(null, BlockResponse.DEFAULT, BlockResponse.DEFAULT);
        assertThat(config.policy().rateLimits()).isEmpty();
        assertThat(config.policy().botFightMode()).isTrue();
    }

    @ParameterizedTest
    @MethodSource("emptyDocuments")
    void emptyDocument_meansEveryDefault(String yaml) throws ConfigException {
        assertThat(ConfigLoader.parse(FILE, yaml)).isEqualTo(PlexgateConfig.defaults());
    }

    static Stream<String> emptyDocuments() {
        return Stream.of(
                "",
                "# nothing but a comment\n",
                "timeouts:\n  # connect: 5s\nlimits:\ncache: ~\n");
    }

    @Test
    void everyKeySet_boundToProxySettings() throws ConfigException {
        String yaml = """
                listen: "[::1]:9000"
                upstream: http://plex.lan:32400/
                trusted_proxies:
                  - 10.0.0.0/8
                  - 192.0.2.7
                client_ip_header: x-forwarded-for
                cache:
                  bypass: false
                event_loops: 2
                transport: io_uring
                timeouts:
                  connect: 500ms
                  response_header: 5m
                  request_header: 20s
                  keep_alive: 1h
                  stream_idle: 1d
                  upstream_keep_alive: 45s
                  shutdown: 0s
                limits:
                  max_connections: 10
                  max_header_size: 65536
                  max_request_line: 1MiB
                  max_idle_upstream: 0
                """;

        ProxySettings settings = ConfigLoader.parse(FILE, yaml).proxy();

        assertThat(settings).isEqualTo(new ProxySettings(
                new InetSocketAddress(IpLiterals.parse("::1"), 9000),
                new UpstreamAddress("plex.lan", 32400),
                List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("192.0.2.7/32")),
                ProxySettings.X_FORWARDED_FOR,
                false,
                new Timeouts(Duration.ofMillis(500), Duration.ofMinutes(5), Duration.ofSeconds(20),
                        Duration.ofHours(1), Duration.ofDays(1), Duration.ofSeconds(45), Duration.ZERO),
                new Limits(10, 65536, 1024 * 1024, 0),
                2,
                Transport.Kind.IO_URING,
                null));
    }

    @Test
    void transportUnset_epollAsDesignSays() throws ConfigException {
        assertThat(ConfigLoader.parse(FILE, "listen: 127.0.0.1:9000\n").proxy().transport())
                .isEqualTo(Transport.Kind.EPOLL);
        assertThat(ConfigLoader.parse(FILE, "transport: NIO\n").proxy().transport()).isEqualTo(Transport.Kind.NIO);
    }

    @Test
    void eventLoopsUnset_onePerCpuTheJvmMayUse() throws ConfigException {
        int cpus = Runtime.getRuntime().availableProcessors();

        assertThat(ConfigLoader.parse(FILE, "listen: 127.0.0.1:9000\n").proxy().eventLoops())
                .isEqualTo(Math.min(64, cpus));
        assertThat(ConfigLoader.parse(FILE, "event_loops: 1\n").proxy().eventLoops()).isEqualTo(1);
    }

    @Test
    void eventsSection_everyKeySet() throws ConfigException {
        String yaml = """
                events:
                  file: /srv/plexgate/security.jsonl
                  max_size: 64KiB
                  max_files: 0
                """;

        assertThat(ConfigLoader.parse(FILE, yaml).events())
                .isEqualTo(new EventLogSettings(Path.of("/srv/plexgate/security.jsonl"), 64 * 1024, 0));
    }

    @Test
    void eventsSection_flowStyleAsInTheDesign_otherKeysDefault() throws ConfigException {
        assertThat(ConfigLoader.parse(FILE, "events: { file: /tmp/e.jsonl }\n").events())
                .isEqualTo(new EventLogSettings(Path.of("/tmp/e.jsonl"), EventLogSettings.DEFAULT_MAX_SIZE,
                        EventLogSettings.DEFAULT_MAX_FILES));
    }

    @Test
    void eventsFile_relative_resolvedAgainstTheConfigFilesDirectory() throws ConfigException {
        assertThat(ConfigLoader.parse(FILE, "events:\n  file: ../log/events.jsonl\n").events().file())
                .isEqualTo(Path.of("/etc/log/events.jsonl"));
        assertThat(ConfigLoader.parse(FILE, "events:\n  file: events.jsonl\n").events().file())
                .isEqualTo(Path.of("/etc/plexgate/events.jsonl"));
    }

    @Test
    void eventsFile_relativeToARelativeConfigFile_isMadeAbsolute() throws ConfigException {
        Path file = Path.of("conf/plexgate.yml");

        assertThat(ConfigLoader.parse(file, "events:\n  file: events.jsonl\n").events().file())
                .isEqualTo(Path.of("conf/events.jsonl").toAbsolutePath());
    }

    @Test
    void upstreamWithIpv6Literal_keepsTheAddressWithoutBrackets() throws ConfigException {
        ProxySettings settings = ConfigLoader.parse(FILE, "upstream: http://[::1]:32400\n").proxy();

        assertThat(settings.upstream()).isEqualTo(new UpstreamAddress("::1", 32400));
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("oneProblem")
    void badValue_reportedWithFileLineColumnAndExpectation(String yaml, String expected) {
        assertThatThrownBy(() -> ConfigLoader.parse(FILE, yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessage(expected);
    }

    static Stream<Arguments> oneProblem() {
        String f = FILE + ":";
        return Stream.of(
                arguments("listen: localhost:99999\n",
                        f + "1:9: listen: 'localhost:99999' port out of range (expected: host:port with port 1 to 65535)"),
                arguments("listen: 127.0.0.1\n",
                        f + "1:9: listen: '127.0.0.1' has no port (expected: host:port with an explicit port, such as 127.0.0.1:32401)"),
                arguments("listen: 127.0.0.1:http\n",
                        f + "1:9: listen: '127.0.0.1:http' port is not a number (expected: host:port with port 1 to 65535)"),
                arguments("listen: ::1:32401\n",
                        f + "1:9: listen: '::1:32401' has an IPv6 address without brackets (expected: host:port with an IPv6 address in brackets, such as \"[::1]:32401\")"),
                arguments("listen: 1.2.3:5\n",
                        f + "1:9: listen: '1.2.3:5' has no valid host (expected: host:port with an IP address or a host name, such as 127.0.0.1:32401)"),
                arguments("listen:\n",
                        f + "1:8: listen: an empty value is not an address (expected: host:port, such as 127.0.0.1:32401)"),
                arguments("upstream: ftp://127.0.0.1:32400\n",
                        f + "1:11: upstream: 'ftp://127.0.0.1:32400' is not an http:// or https:// URL (expected: http(s)://host:port, such as http://127.0.0.1:32400)"),
                arguments("upstream: http://127.0.0.1\n",
                        f + "1:11: upstream: 'http://127.0.0.1' has no port (expected: http(s)://host:port with an explicit port, such as http://127.0.0.1:32400)"),
                arguments("upstream: http://127.0.0.1:32400/web\n",
                        f + "1:11: upstream: 'http://127.0.0.1:32400/web' has a path (expected: http(s)://host:port with nothing after the port)"),
                arguments("upstream: http://127.0.0.1:32400?x=1\n",
                        f + "1:11: upstream: 'http://127.0.0.1:32400?x=1' has a query (expected: http(s)://host:port with nothing after the port)"),
                arguments("upstream: http://plex:secret@127.0.0.1:32400\n",
                        f + "1:11: upstream: a URL with a user name or password (expected: http(s)://host:port without credentials)"),
                arguments("upstream: http://127.0.0.1:0\n",
                        f + "1:11: upstream: 'http://127.0.0.1:0' port out of range (expected: http(s)://host:port with port 1 to 65535)"),
                arguments("trusted_proxies:\n  - 10.0.0.1/8\n",
                        f + "2:5: trusted_proxies[0]: host bits are set in 10.0.0.1/8 (expected: 10.0.0.0/8)"),
                arguments("trusted_proxies:\n  - ::1/128\n  - cloudflared\n",
                        f + "3:5: trusted_proxies[1]: 'cloudflared' is not an IP address (expected: an IPv4 address such as 192.0.2.1 or an IPv6 address such as 2001:db8::1)"),
                arguments("trusted_proxies: 127.0.0.1/32\n",
                        f + "1:18: trusted_proxies: '127.0.0.1/32' is not a list (expected: a list, one \"- item\" per line)"),
                arguments("client_ip_header: X-Real-IP\n",
                        f + "1:19: client_ip_header: 'X-Real-IP' is not supported (expected: CF-Connecting-IP or X-Forwarded-For)"),
                arguments("cache:\n  bypass: maybe\n",
                        f + "2:11: cache.bypass: 'maybe' is not a boolean (expected: true or false)"),
                arguments("cache: true\n",
                        f + "1:8: cache: 'true' is not a mapping (expected: keys such as bypass)"),
                arguments("event_loops: many\n",
                        f + "1:14: event_loops: 'many' is not a whole number (expected: a whole number such as 64)"),
                arguments("event_loops: 100\n",
                        f + "1:14: event_loops: '100' out of range (expected: 1 to 64)"),
                arguments("transport: kqueue\n",
                        f + "1:12: transport: 'kqueue' is not supported (expected: io_uring or epoll or nio)"),
                arguments("timeouts:\n  connect: 5\n",
                        f + "2:12: timeouts.connect: '5' has no unit (expected: a duration such as 500ms, 10s, 5m, 1h or 1d)"),
                arguments("timeouts:\n  stream_idle: 5 s\n",
                        f + "2:16: timeouts.stream_idle: '5 s' is not a duration (expected: a duration such as 500ms, 10s, 5m, 1h or 1d)"),
                arguments("timeouts:\n  keep_alive: 0s\n",
                        f + "2:15: timeouts.keep_alive: '0s' out of range (expected: more than zero)"),
                arguments("limits:\n  max_header_size: 32KB\n",
                        f + "2:20: limits.max_header_size: '32KB' is not a size (expected: a number of bytes, or of KiB or MiB, such as 32KiB)"),
                arguments("limits:\n  max_request_line: 2MiB\n",
                        f + "2:21: limits.max_request_line: '2MiB' out of range (expected: 256 to 1048576)"),
                arguments("limits:\n  max_connections: 0\n",
                        f + "2:20: limits.max_connections: '0' out of range (expected: 1 to 1000000)"),
                arguments("events:\n  file: \"\"\n",
                        f + "2:9: events.file: an empty value is not a file path (expected: a file path, such as /var/lib/plexgate/events.jsonl or events.jsonl)"),
                arguments("events:\n  file:\n",
                        f + "2:8: events.file: an empty value is not a file path (expected: a file path, such as /var/lib/plexgate/events.jsonl or events.jsonl)"),
                arguments("events:\n  file: /var/lib/plexgate/\n",
                        f + "2:9: events.file: '/var/lib/plexgate/' is a directory, not a file (expected: a file path, such as /var/lib/plexgate/events.jsonl or events.jsonl)"),
                arguments("events:\n  file: 5\n",
                        f + "2:9: events.file: '5' is not a file path (expected: a file path, such as /var/lib/plexgate/events.jsonl or events.jsonl)"),
                arguments("events:\n  max_size: 10MB\n",
                        f + "2:13: events.max_size: '10MB' is not a size (expected: a number of bytes, or of KiB or MiB, such as 32KiB)"),
                arguments("events:\n  max_size: 512\n",
                        f + "2:13: events.max_size: '512' out of range (expected: 1024 to 1073741824)"),
                arguments("events:\n  max_size: 2048MiB\n",
                        f + "2:13: events.max_size: '2048MiB' out of range (expected: a size below 2048MiB)"),
                arguments("events:\n  max_files: 101\n",
                        f + "2:14: events.max_files: '101' out of range (expected: 0 to 100)"),
                arguments("events:\n  max_files: -1\n",
                        f + "2:14: events.max_files: '-1' out of range (expected: 0 to 100)"),
                arguments("events:\n  max_files: five\n",
                        f + "2:14: events.max_files: 'five' is not a whole number (expected: a whole number such as 64)"),
                arguments("events: /var/lib/plexgate/events.jsonl\n",
                        f + "1:9: events: '/var/lib/plexgate/events.jsonl' is not a mapping (expected: keys such as file, max_size, max_files)"),
                arguments("events:\n  path: events.jsonl\n",
                        f + "2:3: events.path: unknown key (expected: one of file, max_size, max_files)"),
                arguments("events:\n  max_file: 3\n",
                        f + "2:3: events.max_file: unknown key, did you mean 'max_files'? (expected: one of file, max_size, max_files)"),
                arguments("lisen: 127.0.0.1:32401\n",
                        f + "1:1: lisen: unknown key, did you mean 'listen'? (expected: one of " + TOP_KEYS + ")"),
                arguments("policy: []\n",
                        f + "1:1: policy: unknown key (expected: one of " + TOP_KEYS + ")"),
                arguments("timeouts:\n  conect: 5s\n",
                        f + "2:3: timeouts.conect: unknown key, did you mean 'connect'? (expected: one of " + TIMEOUT_KEYS + ")"),
                arguments("listen: 127.0.0.1:1\nlisten: 127.0.0.1:2\n",
                        f + "2:1: listen: repeated key, first set on line 1 (expected: each key once)"),
                arguments("- listen\n",
                        f + "1:1: the file: a list is not a mapping (expected: keys such as " + TOP_KEYS + ")"),
                arguments("listen: 127.0.0.1:1\n---\nlisten: 127.0.0.1:2\n",
                        f + "3:1: a second YAML document (expected: one document, without a '---' line between settings)"),
                arguments("trusted_proxies: [127.0.0.1/32, ::1/128]\n",
                        f + "1:33: invalid YAML: expected the node content, but found ':' (expected: quotes around a value that starts with ':', '[' or '{', such as \"::1/128\" or \"[::1]:32401\")"),
                arguments("cache:\n  bypass: true\n bad: indent\n",
                        f + "3:2: invalid YAML: expected <block end>, but found '<block mapping start>' (expected: valid YAML)"));
    }

    @Test
    void severalProblems_allReportedInFileOrder() {
        String yaml = """
                timeouts:
                  connect: 5
                lisen: 127.0.0.1:32401
                upstream: http://127.0.0.1
                limits:
                  max_connections: 0
                  max_header_size: lots
                """;

        assertThatThrownBy(() -> ConfigLoader.parse(FILE, yaml))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .extracting(p -> p.line() + ":" + p.column())
                        .containsExactly("2:12", "3:1", "4:11", "6:20", "7:20"))
                .hasMessageContaining("\n" + FILE + ":3:1: lisen: unknown key");
    }

    @Test
    void missingFile_namesTheFile() {
        Path missing = Path.of("no-such-dir/plexgate.yml");

        assertThatThrownBy(() -> ConfigLoader.load(missing))
                .isInstanceOf(ConfigException.class)
                .hasMessage("no-such-dir/plexgate.yml: cannot read: no such file (expected: a readable YAML file)");
    }

    @Test
    void fileOnDisk_problemsNameThatFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("plexgate.yml"), "event_loops: 0\n");

        assertThatThrownBy(() -> ConfigLoader.load(file))
                .hasMessage(file + ":1:14: event_loops: '0' out of range (expected: 1 to 64)");
    }
}
