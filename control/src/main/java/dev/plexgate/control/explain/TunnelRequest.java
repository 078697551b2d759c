package dev.plexgate.control.explain;

import dev.plexgate.control.explain.SimulatedRequest.Header;
import dev.plexgate.proxy.http.ClientAddress;
import dev.plexgate.proxy.http.ClientAddressResolver;
import dev.plexgate.proxy.http1.FieldLines;
import dev.plexgate.proxy.http1.MalformedMessageException;
import dev.plexgate.proxy.http1.RequestHead;
import dev.plexgate.proxy.policy.Cidr;
import dev.plexgate.proxy.policy.rules.RequestFacts;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A {@link SimulatedRequest} as it reaches the proxy through the tunnel: the client's head, with the
 * headers Cloudflare and cloudflared add, arriving from a trusted cloudflared. The client address,
 * country and scheme are then found by the proxy's own {@link ClientAddressResolver}, and the facts are
 * read from the head the way the proxy reads them (RULES.md §6).
 *
 * @param requestLine the method and target as received
 * @param headers     every header line as received, in order
 * @param client      what the proxy concluded about the visitor
 * @param facts       what the rules see
 * @param ignored     typed headers the edge replaces, so they never reach the proxy as typed
 */
public record TunnelRequest(String requestLine, List<Header> headers, ClientAddress client, RequestFacts facts,
        List<Header> ignored) {

    /** Set by Cloudflare or cloudflared whatever the visitor sends (DESIGN §6). */
    private static final Set<String> EDGE_HEADERS = Set.of("cf-connecting-ip", "cf-ipcountry", "cf-visitor", "cf-ray",
            "cf-warp-tag-id", "x-forwarded-proto");

    /**
     * @param trustedProxies  the configured trusted peers; the first one stands for cloudflared
     * @param clientIpHeader  the configured header that names the visitor
     * @throws IllegalArgumentException when the request cannot be sent as described
     */
    public static TunnelRequest of(SimulatedRequest request, List<Cidr> trustedProxies, String clientIpHeader) {
        if (trustedProxies.isEmpty()) {
            throw new IllegalArgumentException("trusted_proxies is empty, so no request through the tunnel can name"
                    + " its client: every one is judged as cloudflared's own address");
        }
        if (!HttpSyntax.isToken(request.method())) {
            throw new IllegalArgumentException("'" + request.method() + "' is not a method (expected: GET, POST, ...)");
        }
        Url url = Url.parse(request.url());
        String country = country(request.country());
        List<Header> typed = request.headers();
        boolean typedHost = typed.stream().anyMatch(header -> header.name().equalsIgnoreCase("Host"));
        boolean typedAgent = typed.stream().anyMatch(header -> header.name().equalsIgnoreCase("User-Agent"));
        if (typedAgent && request.userAgent() != null) {
            throw new IllegalArgumentException("a user agent given twice, with -A and with -H 'User-Agent: ...'"
                    + " (expected: one of them)");
        }

        // What the visitor's client sends: Host and User-Agent first, as curl and browsers do.
        List<Header> sent = new ArrayList<>();
        if (!typedHost && url.authority() != null) {
            sent.add(new Header("Host", url.authority()));
        }
        if (request.userAgent() != null) {
            sent.add(new Header("User-Agent", request.userAgent()));
        }
        List<Header> ignored = new ArrayList<>();
        String clientText = NetUtil.toAddressString(request.client());
        boolean forwardedFor = false;
        for (Header header : typed) {
            String name = header.name().toLowerCase(Locale.ROOT);
            if (EDGE_HEADERS.contains(name)) {
                ignored.add(header);
            } else if (name.equals("x-forwarded-for")) {
                // cloudflared appends the visitor to what the visitor sent.
                sent.add(new Header(header.name(), header.value() + ", " + clientText));
                forwardedFor = true;
            } else {
                sent.add(header);
            }
        }
        // What cloudflared adds on its way to the proxy.
        String scheme = url.https() ? "https" : "http";
        sent.add(new Header("Cf-Connecting-Ip", clientText));
        if (country != null) {
            sent.add(new Header("Cf-Ipcountry", country));
        }
        sent.add(new Header("Cf-Visitor", "{\"scheme\":\"" + scheme + "\"}"));
        if (!forwardedFor) {
            sent.add(new Header("X-Forwarded-For", clientText));
        }
        sent.add(new Header("X-Forwarded-Proto", scheme));

        List<Header> received = sent.stream()
                .map(header -> new Header(header.name(), RequestFacts.utf8Bytes(header.value())))
                .toList();
        InetAddress cloudflared = trustedProxies.get(0).network();
        ClientAddress client = new ClientAddressResolver(trustedProxies, clientIpHeader).resolve(cloudflared,
                fieldsOf(received));
        String target = RequestFacts.utf8Bytes(url.target());
        RequestFacts.Builder facts = RequestFacts.builder(client.address())
                .country(client.country())
                .method(request.method())
                .uri(target)
                .ssl(client.https())
                .host(joined(received, "Host", ", "))
                .userAgent(joined(received, "User-Agent", ", "))
                .referer(joined(received, "Referer", ", "))
                .cookie(joined(received, "Cookie", "; "))
                .xForwardedFor(joined(received, "X-Forwarded-For", ", "));
        received.forEach(header -> facts.header(header.name(), header.value()));
        return new TunnelRequest(request.method().toUpperCase(Locale.ROOT) + " " + target, sent, client,
                facts.build(), ignored);
    }

    /** The header lines as the proxy's decoder hands them to its resolver. */
    private static FieldLines fieldsOf(List<Header> received) {
        StringBuilder head = new StringBuilder("GET / HTTP/1.1\r\n");
        received.forEach(header -> head.append(header.name()).append(": ").append(header.value()).append("\r\n"));
        try {
            byte[] bytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
            return RequestHead.parse(bytes, received.size() + 1).fields();
        } catch (MalformedMessageException e) {
            throw new IllegalArgumentException("the proxy would refuse these headers with 400: " + e.getMessage());
        }
    }

    /** Several lines of one header are joined, as the proxy joins them. */
    private static String joined(List<Header> headers, String name, String separator) {
        return String.join(separator, headers.stream()
                .filter(header -> header.name().equalsIgnoreCase(name))
                .map(Header::value)
                .toList());
    }

    /** As Cloudflare sends it: two uppercase letters, or a letter and a digit ({@code T1}: Tor). */
    private static String country(String typed) {
        if (typed == null) {
            return null;
        }
        String code = typed.toUpperCase(Locale.ROOT);
        if (!code.matches("[A-Z][A-Z0-9]")) {
            throw new IllegalArgumentException("'" + typed + "' is not a country code (expected: two letters such as"
                    + " NL, or XX for unknown, T1 for Tor)");
        }
        return code;
    }

    /**
     * The typed URL.
     *
     * @param https     the visitor used HTTPS
     * @param authority the host (and port) a client puts in {@code Host}, or null for a bare path
     * @param target    path and query as sent in the request line
     */
    record Url(boolean https, String authority, String target) {

        static Url parse(String url) {
            if (url == null) {
                return new Url(false, null, "/");
            }
            String withoutFragment = url.contains("#") ? url.substring(0, url.indexOf('#')) : url;
            if (withoutFragment.startsWith("/")) {
                return new Url(false, null, checkedTarget(url, withoutFragment));
            }
            int schemeEnd = withoutFragment.indexOf("://");
            String scheme = schemeEnd < 0 ? "" : withoutFragment.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new IllegalArgumentException("'" + url + "' is not a URL (expected: https://plex.example.com/path"
                        + " or /path)");
            }
            String rest = withoutFragment.substring(schemeEnd + 3);
            int targetStart = firstOf(rest, '/', '?');
            String authority = rest.substring(0, targetStart);
            // A client never sends user info in Host.
            authority = authority.substring(authority.lastIndexOf('@') + 1);
            if (authority.isEmpty() || !HttpSyntax.isTarget(authority)) {
                throw new IllegalArgumentException("'" + url + "' has no host (expected: https://plex.example.com/path)");
            }
            String target = rest.substring(targetStart);
            target = target.isEmpty() ? "/" : target.startsWith("?") ? "/" + target : target;
            return new Url(scheme.equals("https"), authority, checkedTarget(url, target));
        }

        private static String checkedTarget(String url, String target) {
            if (!HttpSyntax.isTarget(target)) {
                throw new IllegalArgumentException("'" + url + "' holds spaces or control characters (expected: them"
                        + " percent-encoded, as a client sends them)");
            }
            return target;
        }

        private static int firstOf(String text, char a, char b) {
            int first = text.length();
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) == a || text.charAt(i) == b) {
                    first = i;
                    break;
                }
            }
            return first;
        }
    }
}
