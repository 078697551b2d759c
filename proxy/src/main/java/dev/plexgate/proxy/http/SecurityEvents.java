package dev.plexgate.proxy.http;

import dev.plexgate.proxy.events.SecurityEvent;
import dev.plexgate.proxy.http1.FieldLines;
import dev.plexgate.proxy.http1.RequestHead;
import dev.plexgate.proxy.policy.Decision;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.time.Instant;

/** The security event of a request that matched a block, skip or log rule (DESIGN §3 step 6). */
final class SecurityEvents {

    private SecurityEvents() {
    }

    static SecurityEvent of(RequestHead request, ClientAddress client, Decision decision) {
        FieldLines headers = request.fields();
        // Only cloudflared's ray id means anything; a visitor's own Cf-Ray header is not copied.
        String ray = client.trustedPeer() ? headers.value(BlockPages.CF_RAY) : null;
        return new SecurityEvent(Instant.now(), ray, client.address().getHostAddress(), client.country(),
                request.method().name(), headers.value(HttpHeaderNames.HOST), request.uri(),
                headers.value(HttpHeaderNames.USER_AGENT), decision.rule(), action(decision),
                decision.blocks() ? decision.response().status() : 0);
    }

    private static SecurityEvent.Action action(Decision decision) {
        return switch (decision.action()) {
            case BLOCK -> SecurityEvent.Action.BLOCK;
            case SKIP -> SecurityEvent.Action.SKIP;
            case LOG -> SecurityEvent.Action.LOG;
        };
    }
}
