package dev.plexgate.control.config;

import dev.plexgate.agent.TunnelProtocol;
import dev.plexgate.agent.TunnelSettings;
import dev.plexgate.agent.TunnelToken;
import dev.plexgate.agent.TunnelTokenException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Binds the {@code tunnel} section to the agent's {@link TunnelSettings}. When the tunnel is
 * enabled, the token is read and its shape checked now, and the binary looked for, so that
 * {@code plexgate check} and a reload find a missing or readable token file, or a bad token, before
 * cloudflared does. No message quotes the token, nor an extra argument's value (it may hold one).
 */
final class TunnelSection {

    static final List<String> KEYS = List.of("enabled", "cloudflared", "token_file", "token_env", "metrics",
            "protocol", "grace_period", "extra_args");
    /** Where the README tells you to put it; the package creates the directory. */
    static final Path DEFAULT_TOKEN_FILE = Path.of("/etc/plexgate/tunnel.token");
    /** Where Cloudflare's packages and its install instructions put the binary, before PATH. */
    private static final List<Path> BINARY_DIRECTORIES = List.of(Path.of("/usr/bin"), Path.of("/usr/local/bin"));

    private static final Pattern ENVIRONMENT_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final String BINARY = "the path of the cloudflared binary, such as /usr/bin/cloudflared";
    private static final String TOKEN_FILE =
            "a file holding the tunnel's token from the dashboard, readable by its owner only (mode 0600)";
    private static final String TOKEN_ENV = "the name of a variable holding the tunnel's token from the dashboard";

    private TunnelSection() {
    }

    /**
     * The settings the section describes; problems are reported to the section, and the tunnel is
     * then left disabled (the load fails anyway).
     *
     * @param environment plexgate's environment: {@code token_env} and {@code PATH} are looked up in it
     */
    static TunnelSettings bind(Section section, Path directory, Function<String, String> environment) {
        TunnelSettings d = TunnelSettings.DISABLED;
        boolean enabled = section.value("enabled", false, Values::bool);
        Path cloudflared = section.value("cloudflared", null, Values.file(directory, BINARY));
        Path tokenFile = section.value("token_file", null,
                Values.file(directory, "a file path, such as /etc/plexgate/tunnel.token"));
        String tokenEnv = section.value("token_env", null, TunnelSection::environmentName);
        InetSocketAddress metrics = section.value("metrics", d.metrics(), Values::metricsAddress);
        TunnelProtocol protocol = section.value("protocol", d.protocol(), TunnelSection::protocol);
        ValueParser<Duration> duration = Values::duration;
        Duration gracePeriod = section.value("grace_period", d.gracePeriod(), duration.checkedBy(
                grace -> new TunnelSettings(false, null, null, d.metrics(), d.protocol(), grace, List.of())));
        List<String> extraArgs = section.list("extra_args", List.of(), TunnelSection::extraArgument);
        if (tokenFile != null && tokenEnv != null) {
            section.reject("token_env", "set as well as token_file (expected: one of token_file and token_env)");
            return d;
        }
        if (!enabled) {
            return new TunnelSettings(false, cloudflared, null, metrics, protocol, gracePeriod, extraArgs);
        }
        Path binary = cloudflared != null ? executable(section, cloudflared) : findBinary(section, environment);
        TunnelToken token = tokenEnv != null ? fromEnvironment(section, tokenEnv, environment)
                : fromFile(section, tokenFile);
        if (binary == null || token == null) {
            return d;
        }
        return new TunnelSettings(true, binary, token, metrics, protocol, gracePeriod, extraArgs);
    }

    private static Path executable(Section section, Path cloudflared) {
        if (Files.isRegularFile(cloudflared) && Files.isExecutable(cloudflared)) {
            return cloudflared;
        }
        section.reject("cloudflared", "'" + cloudflared + "' is not an executable file (expected: " + BINARY + ")");
        return null;
    }

    private static Path findBinary(Section section, Function<String, String> environment) {
        List<Path> candidates = new ArrayList<>(BINARY_DIRECTORIES);
        String path = environment.apply("PATH");
        if (path != null) {
            for (String directory : path.split(":")) {
                try {
                    if (!directory.isEmpty()) {
                        candidates.add(Path.of(directory));
                    }
                } catch (InvalidPathException e) {
                    // Not a directory anyone could have meant: skipped, as a shell would.
                }
            }
        }
        for (Path directory : candidates) {
            Path binary = directory.resolve("cloudflared");
            if (Files.isRegularFile(binary) && Files.isExecutable(binary)) {
                return binary;
            }
        }
        section.rejectDefault("cloudflared", "enabled", "not set, and there is no cloudflared in /usr/bin,"
                + " /usr/local/bin or PATH (expected: cloudflared: " + BINARY + ")");
        return null;
    }

    private static TunnelToken fromFile(Section section, Path tokenFile) {
        Path file = tokenFile == null ? DEFAULT_TOKEN_FILE : tokenFile;
        try {
            return TunnelToken.readFile(file);
        } catch (TunnelTokenException e) {
            String message = "'" + file + "' " + e.getMessage() + " (expected: " + TOKEN_FILE + ")";
            if (tokenFile == null) {
                section.rejectDefault("token_file", "enabled", message);
            } else {
                section.reject("token_file", message);
            }
            return null;
        }
    }

    private static TunnelToken fromEnvironment(Section section, String name, Function<String, String> environment) {
        String value = environment.apply(name);
        if (value == null || value.isBlank()) {
            section.reject("token_env", "'" + name + "' is not set in plexgate's environment (expected: "
                    + TOKEN_ENV + ")");
            return null;
        }
        try {
            return TunnelToken.parse(value);
        } catch (TunnelTokenException e) {
            section.reject("token_env", "'" + name + "' " + e.getMessage() + " (expected: " + TOKEN_ENV + ")");
            return null;
        }
    }

    private static String environmentName(YamlNode node) throws InvalidValue {
        if (node instanceof YamlNode.Scalar scalar && scalar.type() == YamlNode.Type.STRING
                && ENVIRONMENT_NAME.matcher(scalar.text()).matches()) {
            return scalar.text();
        }
        throw InvalidValue.of(node, "is not an environment variable name", "a name such as TUNNEL_TOKEN");
    }

    private static TunnelProtocol protocol(YamlNode node) throws InvalidValue {
        String choice = Values.oneOf(List.of("auto", "quic", "http2")).parse(node);
        return TunnelProtocol.valueOf(choice.toUpperCase(Locale.ROOT));
    }

    /**
     * One item of {@code extra_args}, checked by the agent. Only an option's name is quoted back: a
     * value, or an item that is not an option at all, may be a pasted token.
     */
    private static String extraArgument(YamlNode node) throws InvalidValue {
        if (!(node instanceof YamlNode.Scalar scalar && scalar.type() == YamlNode.Type.STRING && !scalar.isEmpty())) {
            throw InvalidValue.of(node, "is not an option", "--name or --name=value, as text");
        }
        String argument = scalar.text();
        try {
            TunnelSettings.checkExtraArgument(argument);
        } catch (IllegalArgumentException e) {
            int equals = argument.indexOf('=');
            String name = argument.startsWith("--") ? "'" + (equals < 0 ? argument : argument.substring(0, equals))
                    + "' " : "";
            throw new InvalidValue(name + e.getMessage());
        }
        return argument;
    }
}
