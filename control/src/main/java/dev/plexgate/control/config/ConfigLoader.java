package dev.plexgate.control.config;

import dev.plexgate.proxy.ProxySettings;
import dev.plexgate.proxy.ProxySettings.Limits;
import dev.plexgate.proxy.ProxySettings.Timeouts;
import dev.plexgate.proxy.Transport;
import dev.plexgate.proxy.events.EventLogSettings;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Loads {@code plexgate.yml}. Keys (all optional; an empty file means every default):
 *
 * <pre>
 * listen              host:port, IPv6 as "[::1]:32401"           127.0.0.1:32401
 * listen_tls          a second listener, in TLS:                  none
 *   address           host:port, required
 *   cert, key         PEM certificate chain and private key, required; read and checked at load
 *   key_password_file the password of an encrypted key, on the file's first line
 *   client_ca         PEM CAs: only peers with a certificate they issued are served
 * upstream            http://host:port or https://host:port       http://127.0.0.1:32400
 * upstream_tls        for an https:// upstream:                   the JDK's trust store, the host's name
 *   ca                PEM CAs to trust instead of the JDK's
 *   server_name       the name sent and verified in Plex's certificate
 *   insecure_skip_verify  true or false; true alone, and warned about    false
 * trusted_proxies     list of addresses or CIDRs                  127.0.0.1/32, ::1/128
 * client_ip_header    CF-Connecting-IP or X-Forwarded-For         CF-Connecting-IP
 * event_loops         1 to 64                                     one per CPU
 * transport           io_uring, epoll or nio; one the host lacks  epoll
 *                     falls back: io_uring to epoll, epoll to nio
 * cache.bypass        true or false                               true
 * timeouts.*          durations: 500ms 10s 5m 1h 1d               {@link Timeouts#DEFAULTS}
 * limits.*            counts, and sizes in bytes, KiB or MiB      {@link Limits#DEFAULTS}
 * events.file         a path, relative to this file's directory   /var/lib/plexgate/events.jsonl
 * events.max_size     a size, 1KiB to 1024MiB                     10MiB
 * events.max_files    0 to 100                                    5
 * lists.NAME          a file path (an IP list), or                none
 *                     {file: PATH, kind: ip|bots}; NAME is what rules write after '$': lowercase
 *                     letters, digits, '_'. At most one list of kind bots: it decides cf.client.bot
 * rules               a list of custom rules, run in order:       none
 *   name              unique among rules and rate limits, required
 *   expression        Rules language (RULES.md), required
 *   action            block, skip, log, or managed_challenge, js_challenge, challenge (a 403 locally)
 *   skip              skip only: a list of current, rate_limit, sbfm, managed and Cloudflare's
 *                     products; default [current]
 *   status            block only: 400 to 499                     403
 *   content           block only: a body up to 2 KB, with content_type text/html, text/plain,
 *   content_type      application/json or text/xml
 * rate_limits         a list, each counted per ip.src, answered with 429:     none
 *   name, expression  as for rules, required
 *   period            10s, 1m, 2m, 5m, 10m or 1h, required
 *   requests_per_period  1 to 1000000000, required
 *   mitigation_timeout   0s to 1d                                 0s
 * bot_fight_mode      true or false; true needs a list of kind bots     false
 * tunnel.enabled      true or false: run cloudflared                false
 * tunnel.cloudflared  the binary's path             /usr/bin/cloudflared, /usr/local/bin/cloudflared, PATH
 * tunnel.token_file   a file only its owner can read (0600)         /etc/plexgate/tunnel.token
 * tunnel.token_env    instead of token_file: an environment variable's name
 * tunnel.metrics      host:port of cloudflared's metrics listener  127.0.0.1:20241
 * tunnel.protocol     auto, quic or http2                           auto
 * tunnel.grace_period a duration, 0s to 10m                         30s
 * tunnel.extra_args   a list of --name or --name=value              none
 * admin.listen        host:port of /metrics, /status, /ready, /reload   127.0.0.1:9810
 * admin.allow_remote  true or false: allow a non-loopback admin.listen   false
 * </pre>
 *
 * List files are read and expressions compiled by {@link PolicyLoader}, not here. The tunnel's
 * token is read here when the tunnel is enabled ({@code TunnelSection}).
 *
 * Every problem is reported with its line and column, all of them at once except after a YAML
 * syntax error, which ends reading.
 */
public final class ConfigLoader {

    private static final List<String> TOP_KEYS = List.of("listen", "listen_tls", "upstream", "upstream_tls",
            "trusted_proxies",
            "client_ip_header", "cache", "event_loops", "transport", "timeouts", "limits", "events", "lists", "rules",
            "rate_limits", "bot_fight_mode", "tunnel", "admin");
    private static final List<String> CACHE_KEYS = List.of("bypass");
    private static final List<String> TIMEOUT_KEYS = List.of("connect", "response_header", "request_header",
            "keep_alive", "stream_idle", "upstream_keep_alive", "shutdown");
    private static final List<String> LIMIT_KEYS =
            List.of("max_connections", "max_header_size", "max_request_line", "max_idle_upstream");
    private static final List<String> EVENT_KEYS = List.of("file", "max_size", "max_files");

    private ConfigLoader() {
    }

    /** Reads, parses and validates {@code file}. */
    public static PlexgateConfig load(Path file) throws ConfigException {
        return parse(file, read(file));
    }

    /**
     * Only the admin section of {@code file}, for commands that talk to the running service:
     * nothing else is bound, so the tunnel's token file, which only the service may read, is not
     * opened.
     */
    public static AdminSettings loadAdmin(Path file) throws ConfigException {
        Problems problems = new Problems(file);
        Section top = Section.root(YamlReader.read(read(file), problems), TOP_KEYS, problems);
        AdminSettings admin = AdminSection.bind(top.section("admin", AdminSection.KEYS));
        problems.throwIfAny();
        return admin;
    }

    private static String read(Path file) throws ConfigException {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new Problems(file).fail(0, 0, "cannot read: " + reason(e) + " (expected: a readable YAML file)");
        }
    }

    /** Parses {@code text} as if read from {@code file}, which only names the source in messages. */
    static PlexgateConfig parse(Path file, String text) throws ConfigException {
        return parse(file, text, System::getenv);
    }

    /** {@link #parse(Path, String)} with {@code environment} standing in for plexgate's own. */
    static PlexgateConfig parse(Path file, String text, Function<String, String> environment) throws ConfigException {
        Problems problems = new Problems(file);
        Section top = Section.root(YamlReader.read(text, problems), TOP_KEYS, problems);
        Path directory = file.toAbsolutePath().getParent();
        PlexgateConfig config = new PlexgateConfig(proxy(top, directory), events(top.section("events", EVENT_KEYS), directory),
                PolicySections.bind(top, directory, text, file, problems),
                TunnelSection.bind(top.section("tunnel", TunnelSection.KEYS), directory, environment),
                AdminSection.bind(top.section("admin", AdminSection.KEYS)), problems.warnings());
        problems.throwIfAny();
        return config;
    }

    private static ProxySettings proxy(Section top, Path directory) {
        ProxySettings d = PlexgateConfig.defaults().proxy();
        ValueParser<Integer> eventLoops = Values::integer;
        return new ProxySettings(
                top.value("listen", d.listen(), Values::listenAddress),
                TlsSections.upstream(top.section("upstream_tls", TlsSections.UPSTREAM_KEYS), directory,
                        top.value("upstream", d.upstream(), Values::upstream)),
                top.list("trusted_proxies", d.trustedProxies(), Values::cidr),
                top.value("client_ip_header", d.clientIpHeader(),
                        Values.oneOf(List.of(ProxySettings.CF_CONNECTING_IP, ProxySettings.X_FORWARDED_FOR))),
                top.section("cache", CACHE_KEYS).value("bypass", d.cacheBypass(), Values::bool),
                timeouts(top.section("timeouts", TIMEOUT_KEYS)),
                limits(top.section("limits", LIMIT_KEYS)),
                top.value("event_loops", d.eventLoops(), eventLoops.checkedBy(loops -> new ProxySettings(d.listen(),
                        d.upstream(), d.trustedProxies(), d.clientIpHeader(), d.cacheBypass(), d.timeouts(),
                        d.limits(), loops))),
                top.value("transport", d.transport(), ConfigLoader::transport),
                TlsSections.listenTls(top.section("listen_tls", TlsSections.LISTEN_KEYS), directory, Instant.now()));
    }

    private static Transport.Kind transport(YamlNode node) throws InvalidValue {
        List<String> choices = Arrays.stream(Transport.Kind.values()).map(Transport.Kind::configName).toList();
        return Transport.Kind.valueOf(Values.oneOf(choices).parse(node).toUpperCase(Locale.ROOT));
    }

    private static Timeouts timeouts(Section section) {
        Timeouts d = Timeouts.DEFAULTS;
        ValueParser<Duration> duration = Values::duration;
        return fields(section, TIMEOUT_KEYS,
                List.of(d.connect(), d.responseHeader(), d.requestHeader(), d.keepAlive(), d.streamIdle(),
                        d.upstreamKeepAlive(), d.shutdown()),
                Collections.nCopies(TIMEOUT_KEYS.size(), duration),
                v -> new Timeouts(v.get(0), v.get(1), v.get(2), v.get(3), v.get(4), v.get(5), v.get(6)));
    }

    private static Limits limits(Section section) {
        Limits d = Limits.DEFAULTS;
        ValueParser<Integer> count = Values::integer;
        ValueParser<Integer> size = Values::size;
        return fields(section, LIMIT_KEYS,
                List.of(d.maxConnections(), d.maxHeaderSize(), d.maxRequestLine(), d.maxIdleUpstream()),
                List.of(count, size, size, count),
                v -> new Limits(v.get(0), v.get(1), v.get(2), v.get(3)));
    }

    private static EventLogSettings events(Section section, Path directory) {
        EventLogSettings d = EventLogSettings.DEFAULTS;
        ValueParser<Integer> size = Values::size;
        ValueParser<Integer> count = Values::integer;
        return new EventLogSettings(
                section.value("file", d.file(), Values.file(directory)),
                section.value("max_size", d.maxSize(),
                        size.checkedBy(maxSize -> new EventLogSettings(d.file(), maxSize, d.maxFiles()))),
                section.value("max_files", d.maxFiles(),
                        count.checkedBy(maxFiles -> new EventLogSettings(d.file(), d.maxSize(), maxFiles))));
    }

    /**
     * Binds the keys of a section whose record validates itself. Each value is first checked by the
     * record's constructor with every other field at its default, so that each bad value is
     * reported at its own line, not only the first one the constructor meets; bad values then fall
     * back to their defaults and the record is built from the rest.
     */
    private static <V, R> R fields(Section section, List<String> keys, List<V> defaults,
            List<ValueParser<V>> parsers, Function<List<V>, R> constructor) {
        List<V> values = new ArrayList<>(defaults);
        for (int i = 0; i < keys.size(); i++) {
            int field = i;
            values.set(i, section.value(keys.get(i), defaults.get(i), parsers.get(i).checkedBy(value -> {
                List<V> probe = new ArrayList<>(defaults);
                probe.set(field, value);
                constructor.apply(probe);
            })));
        }
        return constructor.apply(values);
    }

    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof MalformedInputException) {
            return "not UTF-8 text";
        }
        return e.toString();
    }
}
