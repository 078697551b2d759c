package dev.plexgate.proxy.policy.rules;

import dev.plexgate.proxy.policy.BotClassifier;
import dev.plexgate.proxy.policy.IpLiterals;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What one request carries, as the fields of the Rules language read it (RULES.md §6, §10).
 * Strings are byte strings with one char per byte (ISO-8859-1), the form Netty's HTTP codec
 * decodes header lines in; a string holding chars above U+00FF cannot be bytes, so the builder
 * takes its UTF-8 instead, and {@link #utf8Bytes} converts typed text explicitly. Fields derived
 * from others (path, query, full URI, the header map and arrays, the numeric address, the bot
 * verdict) are computed on first use only, so rules that do not read them cost nothing.
 *
 * <p>Not thread-safe: one instance per request, read by the thread deciding it.
 */
public final class RequestFacts {

    private final InetAddress ipSrc;
    private final String country;
    private final String host;
    private final String userAgent;
    private final String referer;
    private final String cookie;
    private final String xForwardedFor;
    private final String method;
    private final String uri;
    private final boolean ssl;
    private final List<String> headerNames;
    private final List<String> headerValues;

    private String path;
    private String query;
    private String fullUri;
    private Map<String, List<String>> headers;
    private List<List<String>> headerValueLists;
    private boolean numericAddress;
    private byte[] ipSrcBytes;
    private long ipHigh;
    private long ipLow;
    private BotClassifier botClassifier;
    private boolean bot;

    private RequestFacts(Builder builder) {
        ipSrc = builder.ipSrc;
        country = builder.country;
        headerNames = builder.headerNames == null ? List.of() : List.copyOf(builder.headerNames);
        headerValues = builder.headerValues == null ? List.of() : List.copyOf(builder.headerValues);
        host = builder.host != null ? builder.host : joinedHeader("host", ", ");
        userAgent = builder.userAgent != null ? builder.userAgent : joinedHeader("user-agent", ", ");
        referer = builder.referer != null ? builder.referer : joinedHeader("referer", ", ");
        cookie = builder.cookie != null ? builder.cookie : joinedHeader("cookie", "; ");
        xForwardedFor = builder.xForwardedFor != null ? builder.xForwardedFor : joinedHeader("x-forwarded-for", ", ");
        method = builder.method;
        uri = builder.uri;
        ssl = builder.ssl;
    }

    /**
     * {@code text} as the bytes a client sending it in UTF-8 puts on the wire, one char per byte: for
     * facts typed by a person ({@code plexgate explain -A 'Café'}). Values from Netty are bytes already.
     */
    public static String utf8Bytes(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    /** A builder for a request from {@code ipSrc} (IPv4-mapped IPv6 is folded to IPv4 here). */
    public static Builder builder(InetAddress ipSrc) {
        return new Builder(ipSrc);
    }

    /**
     * Builds the facts of one request. Headers are added in arrival order with their names as received;
     * {@code http.host}, {@code http.user_agent}, {@code http.referer}, {@code http.cookie} and
     * {@code http.x_forwarded_for} come from them (lines joined with {@code ", "}, Cookie with
     * {@code "; "}) unless set explicitly. Everything absent is {@code ""} or {@code false}.
     */
    public static final class Builder {
        private final InetAddress ipSrc;
        private String country = "";
        private String host;
        private String userAgent;
        private String referer;
        private String cookie;
        private String xForwardedFor;
        private String method = "GET";
        private String uri = "/";
        private boolean ssl;
        /** Only when a header is added: the proxy adds them only for rules that read them. */
        private List<String> headerNames;
        private List<String> headerValues;

        private Builder(InetAddress ipSrc) {
            this.ipSrc = IpLiterals.normalize(Objects.requireNonNull(ipSrc, "ipSrc"));
        }

        /** {@code ip.src.country}: {@code CF-IPCountry} from a trusted peer. */
        public Builder country(String country) {
            this.country = ByteStrings.fromText(country);
            return this;
        }

        public Builder host(String host) {
            this.host = ByteStrings.fromText(host);
            return this;
        }

        public Builder userAgent(String userAgent) {
            this.userAgent = ByteStrings.fromText(userAgent);
            return this;
        }

        public Builder referer(String referer) {
            this.referer = ByteStrings.fromText(referer);
            return this;
        }

        public Builder cookie(String cookie) {
            this.cookie = ByteStrings.fromText(cookie);
            return this;
        }

        public Builder xForwardedFor(String xForwardedFor) {
            this.xForwardedFor = ByteStrings.fromText(xForwardedFor);
            return this;
        }

        /** The method as received; the field holds it in uppercase. */
        public Builder method(String method) {
            this.method = ByteStrings.upperAscii(ByteStrings.fromText(method));
            return this;
        }

        /** The request-target as received: path, then {@code ?query} if any. */
        public Builder uri(String uri) {
            this.uri = ByteStrings.fromText(uri);
            return this;
        }

        /** A trusted peer says the visitor used HTTPS. */
        public Builder ssl(boolean ssl) {
            this.ssl = ssl;
            return this;
        }

        /** One header line, in arrival order, name as received. */
        public Builder header(String name, String value) {
            if (headerNames == null) {
                headerNames = new ArrayList<>();
                headerValues = new ArrayList<>();
            }
            headerNames.add(ByteStrings.fromText(name));
            headerValues.add(ByteStrings.fromText(value));
            return this;
        }

        public RequestFacts build() {
            return new RequestFacts(this);
        }
    }

    private String joinedHeader(String lowercaseName, String separator) {
        String joined = null;
        for (int i = 0; i < headerNames.size(); i++) {
            if (headerNames.get(i).equalsIgnoreCase(lowercaseName)) {
                joined = joined == null ? headerValues.get(i) : joined + separator + headerValues.get(i);
            }
        }
        return joined == null ? "" : joined;
    }

    public InetAddress ipSrc() {
        return ipSrc;
    }

    public String country() {
        return country;
    }

    public String host() {
        return host;
    }

    public String userAgent() {
        return userAgent;
    }

    public String referer() {
        return referer;
    }

    public String cookie() {
        return cookie;
    }

    public String xForwardedFor() {
        return xForwardedFor;
    }

    public String method() {
        return method;
    }

    public String uri() {
        return uri;
    }

    public boolean ssl() {
        return ssl;
    }

    /** Header names as received, in arrival order, duplicates kept. */
    public List<String> headerNames() {
        return headerNames;
    }

    /** Header values in arrival order, parallel to {@link #headerNames()}. */
    public List<String> headerValues() {
        return headerValues;
    }

    String path() {
        if (path == null) {
            int question = uri.indexOf('?');
            path = question < 0 ? uri : uri.substring(0, question);
        }
        return path;
    }

    String query() {
        if (query == null) {
            int question = uri.indexOf('?');
            query = question < 0 ? "" : uri.substring(question + 1);
        }
        return query;
    }

    String fullUri() {
        if (fullUri == null) {
            fullUri = (ssl ? "https://" : "http://") + host + uri;
        }
        return fullUri;
    }

    /** {@code http.request.headers}: lowercase name to values in arrival order. */
    Map<String, List<String>> headers() {
        if (headers == null) {
            Map<String, List<String>> byName = new LinkedHashMap<>();
            for (int i = 0; i < headerNames.size(); i++) {
                byName.computeIfAbsent(ByteStrings.lowerAscii(headerNames.get(i)), name -> new ArrayList<>(1))
                        .add(headerValues.get(i));
            }
            byName.replaceAll((name, values) -> Collections.unmodifiableList(values));
            headers = Collections.unmodifiableMap(byName);
        }
        return headers;
    }

    /** The values of {@link #headers()} as a list, for {@code http.request.headers[*]}. */
    List<List<String>> headerValueLists() {
        if (headerValueLists == null) {
            headerValueLists = List.copyOf(headers().values());
        }
        return headerValueLists;
    }

    boolean isIpv4() {
        return ipSrc instanceof Inet4Address;
    }

    /** The IPv4 address as an unsigned value. */
    long ipv4Value() {
        deriveNumericAddress();
        return ipLow;
    }

    long ipv6High() {
        deriveNumericAddress();
        return ipHigh;
    }

    long ipv6Low() {
        deriveNumericAddress();
        return ipLow;
    }

    /** {@code ip.src}'s bytes, copied once per request: list lookups then copy nothing. */
    byte[] ipSrcBytes() {
        if (ipSrcBytes == null) {
            ipSrcBytes = ipSrc.getAddress();
        }
        return ipSrcBytes;
    }

    private void deriveNumericAddress() {
        if (!numericAddress) {
            byte[] bytes = ipSrcBytes();
            if (bytes.length == 4) {
                ipLow = bytesToLong(bytes, 0, 4);
            } else {
                ipHigh = bytesToLong(bytes, 0, 8);
                ipLow = bytesToLong(bytes, 8, 16);
            }
            numericAddress = true;
        }
    }

    private static long bytesToLong(byte[] bytes, int from, int to) {
        long value = 0;
        for (int i = from; i < to; i++) {
            value = (value << 8) | (bytes[i] & 0xFF);
        }
        return value;
    }

    /** {@code cf.client.bot}, asked of {@code classifier} once per request. */
    boolean isBot(BotClassifier classifier) {
        if (botClassifier != classifier) {
            bot = classifier.isBot(userAgent);
            botClassifier = classifier;
        }
        return bot;
    }

    @Override
    public String toString() {
        return "RequestFacts[ip.src=" + ipSrc.getHostAddress() + ", method=" + method + ", host=" + host
                + ", uri=" + uri + ", ssl=" + ssl + ", headers=" + headerNames.size() + "]";
    }
}
