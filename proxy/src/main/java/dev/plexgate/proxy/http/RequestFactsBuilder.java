package dev.plexgate.proxy.http;

import dev.plexgate.proxy.http1.FieldLines;
import dev.plexgate.proxy.http1.RequestHead;
import dev.plexgate.proxy.policy.rules.RequestFacts;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.util.AsciiString;

/**
 * The request as the rules see it (RULES.md §6), read from the head as received — before any
 * header is rewritten for Plex. Values are read one char per byte, which is the byte string form
 * {@link RequestFacts} expects.
 */
final class RequestFactsBuilder {

    private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");

    private RequestFactsBuilder() {
    }

    /**
     * @param withHeaderLists add every header line too: only when a rule reads
     *                        {@code http.request.headers*}, since most rule sets never do
     */
    static RequestFacts facts(RequestHead request, ClientAddress client, boolean withHeaderLists) {
        FieldLines fields = request.fields();
        RequestFacts.Builder facts = RequestFacts.builder(client.address())
                .country(client.country())
                .method(request.method().name())
                .uri(request.uri())
                .ssl(client.https())
                // Several lines of one header are joined, so a second User-Agent cannot hide a bot.
                .host(fields.joined(HttpHeaderNames.HOST, ", "))
                .userAgent(fields.joined(HttpHeaderNames.USER_AGENT, ", "))
                .referer(fields.joined(HttpHeaderNames.REFERER, ", "))
                .cookie(fields.joined(HttpHeaderNames.COOKIE, "; "))
                .xForwardedFor(fields.joined(X_FORWARDED_FOR, ", "));
        if (withHeaderLists) {
            for (int i = 0; i < fields.count(); i++) {
                facts.header(fields.name(i).toString(), fields.value(i));
            }
        }
        return facts.build();
    }
}
