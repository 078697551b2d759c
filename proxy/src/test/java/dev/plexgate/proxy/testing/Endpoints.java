package dev.plexgate.proxy.testing;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Routes a request head to the endpoint that answers it. */
final class Endpoints {

    private static final Pattern MEDIA_PART = Pattern.compile("/library/parts/(\\d{1,18})/[^/]+");
    private static final Pattern STATUS = Pattern.compile("/status/(\\d{3})");

    private Endpoints() {
    }

    static void dispatch(Exchange exchange) {
        HttpMethod method = exchange.request().method();
        boolean get = HttpMethod.GET.equals(method);
        String path = exchange.path();
        Matcher part = MEDIA_PART.matcher(path);
        Matcher status = STATUS.matcher(path);
        if (get && path.equals("/identity")) {
            SimpleEndpoints.identity(exchange);
        } else if ((get || exchange.isHead()) && part.matches()) {
            MediaPartEndpoint.serve(exchange, Long.parseLong(part.group(1)));
        } else if (get && path.equals("/slow")) {
            TimedEndpoints.slow(exchange);
        } else if (get && path.equals("/delay")) {
            TimedEndpoints.delay(exchange);
        } else if (get && path.equals("/broken")) {
            SimpleEndpoints.broken(exchange);
        } else if (get && path.equals("/reset")) {
            SimpleEndpoints.reset(exchange);
        } else if (get && path.equals("/:/websockets/notifications") && asksForWebSocket(exchange)) {
            WebSocketEndpoint.upgrade(exchange);
        } else if (get && path.equals("/:/eventsource/notifications")) {
            TimedEndpoints.eventStream(exchange);
        } else if ((HttpMethod.POST.equals(method) || HttpMethod.PUT.equals(method)) && path.equals("/upload")) {
            UploadEndpoint.start(exchange);
        } else if (get && path.equals("/echo-headers")) {
            SimpleEndpoints.echoHeaders(exchange);
        } else if (get && status.matches()) {
            SimpleEndpoints.status(exchange, Integer.parseInt(status.group(1)));
        } else if (get && path.equals("/big-headers")) {
            SimpleEndpoints.bigHeaders(exchange);
        } else {
            exchange.respondText(HttpResponseStatus.NOT_FOUND, "not found\n");
        }
    }

    private static boolean asksForWebSocket(Exchange exchange) {
        return exchange.request().headers()
                .containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    }
}
