package dev.plexgate.proxy.http;

import dev.plexgate.proxy.policy.rules.RequestFacts;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.AsciiString;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The request as the rules see it (RULES.md §6), read from the head as received — before any
 * header is rewritten for Plex. Netty decodes header bytes one char per byte, which is the byte
 * string form {@link RequestFacts} expects, so values pass through without conversion.
 */
final class RequestFactsBuilder {

    private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");

    private RequestFactsBuilder() {
    }

    /**
     * @param withHeaderLists add every header line too: only when a rule reads
     *                        {@code http.request.headers*}, since most rule sets never do
     */
    static RequestFacts facts(HttpRequest request, ClientAddress client, boolean withHeaderLists) {
        HttpHeaders headers = request.headers();
        RequestFacts.Builder facts = RequestFacts.builder(client.address())
                .country(client.country())
                .method(request.method().name())
                .uri(request.uri())
                .ssl(client.https())
                // Several lines of one header are joined, so a second User-Agent cannot hide a bot.
                .host(joined(headers, HttpHeaderNames.HOST, ", "))
                .userAgent(joined(headers, HttpHeaderNames.USER_AGENT, ", "))
                .referer(joined(headers, HttpHeaderNames.REFERER, ", "))
                .cookie(joined(headers, HttpHeaderNames.COOKIE, "; "))
                .xForwardedFor(joined(headers, X_FORWARDED_FOR, ", "));
        if (withHeaderLists) {
            for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
                Map.Entry<CharSequence, CharSequence> header = it.next();
                facts.header(header.getKey().toString(), header.getValue().toString());
            }
        }
        return facts.build();
    }

    private static String joined(HttpHeaders headers, AsciiString name, String separator) {
        String first = headers.get(name);
        if (first == null) {
            return "";
        }
        List<String> all = headers.getAll(name);
        return all.size() == 1 ? first : String.join(separator, all);
    }
}
