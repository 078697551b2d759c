package dev.plexgate.control.config;

import dev.plexgate.proxy.policy.Cidr;
import dev.plexgate.proxy.policy.IpLiterals;
import dev.plexgate.proxy.tls.UpstreamTls;
import dev.plexgate.proxy.upstream.UpstreamAddress;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shared validators: each takes one YAML value and returns it typed, or throws an
 * {@link InvalidValue} that says what was found and what was expected.
 */
final class Values {

    private static final String DURATION = "a duration such as 500ms, 10s, 5m, 1h or 1d";
    private static final String SIZE = "a number of bytes, or of KiB or MiB, such as 32KiB";
    private static final Pattern DURATION_TEXT = Pattern.compile("([0-9]+)(ms|s|m|h|d)");
    private static final Pattern SIZE_TEXT = Pattern.compile("([0-9]+)(KiB|MiB)?");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final Pattern DIGITS_AND_DOTS = Pattern.compile("[0-9.]+");
    private static final Pattern HOST_NAME =
            Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    /** How an address is written where it is expected, for the {@code (expected: …)} part. */
    private record AddressForm(String form, String example, String ipv6Example) {

        String plain() {
            return form + ", such as " + example;
        }

        String with(String detail) {
            return form + " with " + detail;
        }
    }

    // In YAML a value that starts with '[' must be quoted, hence the quotes in the IPv6 example.
    private static final AddressForm LISTEN = new AddressForm("host:port", "127.0.0.1:32401", "\"[::1]:32401\"");
    private static final AddressForm METRICS = new AddressForm("host:port", "127.0.0.1:20241", "\"[::1]:20241\"");
    private static final AddressForm ADMIN = new AddressForm("host:port", "127.0.0.1:9810", "\"[::1]:9810\"");
    private static final AddressForm UPSTREAM =
            new AddressForm("http(s)://host:port", "http://127.0.0.1:32400", "http://[::1]:32400");

    private Values() {
    }

    static boolean bool(YamlNode node) throws InvalidValue {
        if (node instanceof YamlNode.Scalar scalar && scalar.type() == YamlNode.Type.BOOLEAN) {
            return Boolean.parseBoolean(scalar.text());
        }
        throw InvalidValue.of(node, "is not a boolean", "true or false");
    }

    static int integer(YamlNode node) throws InvalidValue {
        if (!(node instanceof YamlNode.Scalar scalar && scalar.type() == YamlNode.Type.INTEGER)) {
            throw InvalidValue.of(node, "is not a whole number", "a whole number such as 64");
        }
        BigInteger value = new BigInteger(scalar.text());
        if (value.bitLength() > 31) {
            throw InvalidValue.of(node, "out of range", "a whole number from 0 to " + Integer.MAX_VALUE);
        }
        return value.intValue();
    }

    /** An integer and a unit, {@code ms s m h d}; a bare number is refused rather than guessed. */
    static Duration duration(YamlNode node) throws InvalidValue {
        if (node instanceof YamlNode.Scalar scalar && !scalar.isEmpty()) {
            if (scalar.type() == YamlNode.Type.INTEGER || DIGITS.matcher(scalar.text()).matches()) {
                throw InvalidValue.of(node, "has no unit", DURATION);
            }
            Matcher matcher = DURATION_TEXT.matcher(scalar.text());
            if (scalar.type() == YamlNode.Type.STRING && matcher.matches()) {
                try {
                    return Duration.of(Long.parseLong(matcher.group(1)), unit(matcher.group(2)));
                } catch (NumberFormatException | ArithmeticException e) {
                    throw InvalidValue.of(node, "out of range", DURATION);
                }
            }
        }
        throw InvalidValue.of(node, "is not a duration", DURATION);
    }

    /** A whole number of bytes, or one with a {@code KiB} or {@code MiB} suffix. */
    static int size(YamlNode node) throws InvalidValue {
        if (node instanceof YamlNode.Scalar scalar
                && (scalar.type() == YamlNode.Type.INTEGER || scalar.type() == YamlNode.Type.STRING)) {
            Matcher matcher = SIZE_TEXT.matcher(scalar.text());
            if (matcher.matches()) {
                int multiplier = matcher.group(2) == null ? 1 : matcher.group(2).equals("KiB") ? 1024 : 1024 * 1024;
                BigInteger bytes = new BigInteger(matcher.group(1)).multiply(BigInteger.valueOf(multiplier));
                if (bytes.bitLength() > 31) {
                    throw InvalidValue.of(node, "out of range", "a size below 2048MiB");
                }
                return bytes.intValue();
            }
        }
        throw InvalidValue.of(node, "is not a size", SIZE);
    }

    /** The case-insensitive match among {@code choices}, spelled as in {@code choices}. */
    static ValueParser<String> oneOf(List<String> choices) {
        String expected = String.join(" or ", choices);
        return node -> {
            if (node instanceof YamlNode.Scalar scalar && scalar.type() == YamlNode.Type.STRING) {
                for (String choice : choices) {
                    if (choice.equalsIgnoreCase(scalar.text())) {
                        return choice;
                    }
                }
            }
            throw InvalidValue.of(node, "is not supported", expected);
        };
    }

    /** {@code host:port}, IPv6 in brackets; a host name is resolved now, once. */
    static InetSocketAddress listenAddress(YamlNode node) throws InvalidValue {
        return address(node, LISTEN);
    }

    /** cloudflared's metrics listener, written as {@link #listenAddress} is. */
    static InetSocketAddress metricsAddress(YamlNode node) throws InvalidValue {
        return address(node, METRICS);
    }

    /** The admin listener, written as {@link #listenAddress} is. */
    static InetSocketAddress adminAddress(YamlNode node) throws InvalidValue {
        return address(node, ADMIN);
    }

    private static InetSocketAddress address(YamlNode node, AddressForm form) throws InvalidValue {
        HostAndPort address = hostAndPort(node, text(node, "is not an address", form.plain()), form);
        InetAddress ip = IpLiterals.tryParse(address.host());
        if (ip == null) {
            try {
                ip = InetAddress.getByName(address.host());
            } catch (UnknownHostException e) {
                throw InvalidValue.of(node, "host not found", "an IP address, or a host name this machine resolves");
            }
        }
        return new InetSocketAddress(ip, address.port());
    }

    /**
     * {@code http://host:port}, or {@code https://host:port} verified as {@link UpstreamTls#DEFAULT}
     * says until the {@code upstream_tls} section refines it: an explicit port, nothing else.
     */
    static UpstreamAddress upstream(YamlNode node) throws InvalidValue {
        String text = text(node, "is not a URL", UPSTREAM.plain());
        boolean https = text.regionMatches(true, 0, "https://", 0, 8);
        if (!https && !text.regionMatches(true, 0, "http://", 0, 7)) {
            throw InvalidValue.of(node, "is not an http:// or https:// URL", UPSTREAM.plain());
        }
        String rest = text.substring(https ? 8 : 7);
        int end = 0;
        while (end < rest.length() && "/?#".indexOf(rest.charAt(end)) < 0) {
            end++;
        }
        String authority = rest.substring(0, end);
        String tail = rest.substring(end);
        if (authority.indexOf('@') >= 0) {
            // Not echoed: what precedes '@' is likely a password.
            throw new InvalidValue("a URL with a user name or password (expected: " + UPSTREAM.form()
                    + " without credentials)");
        }
        if (tail.indexOf('?') >= 0) {
            throw InvalidValue.of(node, "has a query", UPSTREAM.with("nothing after the port"));
        }
        if (tail.indexOf('#') >= 0) {
            throw InvalidValue.of(node, "has a fragment", UPSTREAM.with("nothing after the port"));
        }
        if (!tail.isEmpty() && !tail.equals("/")) {
            throw InvalidValue.of(node, "has a path", UPSTREAM.with("nothing after the port"));
        }
        HostAndPort address = hostAndPort(node, authority, UPSTREAM);
        return new UpstreamAddress(address.host(), address.port(), https ? UpstreamTls.DEFAULT : null);
    }

    /**
     * A path to a file, relative ones resolved against {@code directory} (the config file's), so
     * that the same files work from a checkout's conf/ and from /etc/plexgate.
     */
    static ValueParser<Path> file(Path directory) {
        return file(directory, "a file path, such as /var/lib/plexgate/events.jsonl or events.jsonl");
    }

    /** {@link #file(Path)} with its own {@code (expected: …)} text. */
    static ValueParser<Path> file(Path directory, String expected) {
        return node -> {
            String text = text(node, "is not a file path", expected);
            try {
                Path path = directory.resolve(text).normalize();
                if (text.endsWith("/") || path.getFileName() == null) {
                    throw InvalidValue.of(node, "is a directory, not a file", expected);
                }
                return path;
            } catch (InvalidPathException e) {
                throw InvalidValue.of(node, "is not a file path", expected);
            }
        };
    }

    /** An address or network, with the proxy's own strict parser and its messages. */
    static Cidr cidr(YamlNode node) throws InvalidValue {
        String text = text(node, "is not an address", "an address or CIDR, such as 127.0.0.1/32 or ::1/128");
        try {
            return Cidr.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidValue(e.getMessage());
        }
    }

    private record HostAndPort(String host, int port) {
    }

    private static HostAndPort hostAndPort(YamlNode node, String authority, AddressForm form) throws InvalidValue {
        String host;
        String port;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw InvalidValue.of(node, "is not " + form.form(), form.plain());
            }
            host = authority.substring(1, close);
            if (host.indexOf(':') < 0 || IpLiterals.tryParse(host) == null) {
                throw InvalidValue.of(node, "has no IPv6 address in brackets",
                        form.with("an IPv6 address in brackets, such as " + form.ipv6Example()));
            }
            String after = authority.substring(close + 1);
            if (after.isEmpty()) {
                throw InvalidValue.of(node, "has no port", form.with("an explicit port, such as " + form.ipv6Example()));
            }
            if (after.charAt(0) != ':') {
                throw InvalidValue.of(node, "is not " + form.form(), form.plain());
            }
            port = after.substring(1);
        } else {
            int colon = authority.lastIndexOf(':');
            if (colon < 0) {
                throw InvalidValue.of(node, "has no port", form.with("an explicit port, such as " + form.example()));
            }
            if (authority.indexOf(':') != colon) {
                throw InvalidValue.of(node, "has an IPv6 address without brackets",
                        form.with("an IPv6 address in brackets, such as " + form.ipv6Example()));
            }
            host = authority.substring(0, colon);
            port = authority.substring(colon + 1);
            boolean ipv4 = IpLiterals.tryParse(host) != null;
            if (!ipv4 && (!HOST_NAME.matcher(host).matches() || DIGITS_AND_DOTS.matcher(host).matches())) {
                throw InvalidValue.of(node, "has no valid host",
                        form.with("an IP address or a host name, such as " + form.example()));
            }
        }
        if (!DIGITS.matcher(port).matches()) {
            throw InvalidValue.of(node, "port is not a number", form.with("port 1 to 65535"));
        }
        int number = port.length() > 5 ? Integer.MAX_VALUE : Integer.parseInt(port);
        if (number < 1 || number > 65535) {
            throw InvalidValue.of(node, "port out of range", form.with("port 1 to 65535"));
        }
        return new HostAndPort(host, number);
    }

    /** The text of a non-empty string value. */
    private static String text(YamlNode node, String problem, String expected) throws InvalidValue {
        if (node instanceof YamlNode.Scalar scalar && scalar.type() == YamlNode.Type.STRING && !scalar.isEmpty()) {
            return scalar.text();
        }
        throw InvalidValue.of(node, problem, expected);
    }

    private static ChronoUnit unit(String suffix) {
        return switch (suffix) {
            case "ms" -> ChronoUnit.MILLIS;
            case "s" -> ChronoUnit.SECONDS;
            case "m" -> ChronoUnit.MINUTES;
            case "h" -> ChronoUnit.HOURS;
            case "d" -> ChronoUnit.DAYS;
            default -> throw new IllegalArgumentException("duration unit " + suffix);
        };
    }
}
