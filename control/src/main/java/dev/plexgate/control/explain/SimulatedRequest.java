package dev.plexgate.control.explain;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * A request as a person describes it on the command line: who sends it and what they send.
 *
 * @param client    the visitor's address (what Cloudflare puts in {@code CF-Connecting-IP})
 * @param country   the visitor's country code, or null when Cloudflare would send none
 * @param method    the request method
 * @param url       {@code https://host/path?query} or just {@code /path?query}; null for {@code /}
 * @param userAgent the {@code User-Agent} the client sends, or null for none (unless a header gives one)
 * @param headers   further header lines as typed, in order
 */
public record SimulatedRequest(InetAddress client, String country, String method, String url, String userAgent,
        List<Header> headers) {

    public SimulatedRequest {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(method, "method");
        headers = List.copyOf(headers);
    }

    /** One header line, name as typed. */
    public record Header(String name, String value) {

        public Header {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }

        /**
         * {@code Name: value}, as curl's {@code -H} takes it.
         *
         * @throws IllegalArgumentException with what was expected
         */
        public static Header parse(String line) {
            int colon = line.indexOf(':');
            String name = colon < 0 ? "" : line.substring(0, colon);
            if (!HttpSyntax.isToken(name)) {
                throw new IllegalArgumentException("'" + line + "' is not a header (expected: Name: value, such as"
                        + " 'X-Plex-Product: Plex Web')");
            }
            String value = line.substring(colon + 1).strip();
            if (!HttpSyntax.isFieldValue(value)) {
                throw new IllegalArgumentException("header " + name + " holds a control character");
            }
            return new Header(name, value);
        }
    }
}
