package dev.plexgate.proxy.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Opens a websocket, returns the first text message it receives (the test origin's
 * {@link TestOrigin#WEBSOCKET_HELLO}) and closes it normally: the proof that an upgrade made it
 * through a proxy path both ways.
 */
public final class WebSocketGreeting {

    private WebSocketGreeting() {
    }

    public static String firstText(HttpClient client, URI uri) throws Exception {
        CompletableFuture<String> firstText = new CompletableFuture<>();
        WebSocket socket = client.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                firstText.complete(data.toString());
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
        String text = firstText.get(10, TimeUnit.SECONDS);
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
        return text;
    }
}
