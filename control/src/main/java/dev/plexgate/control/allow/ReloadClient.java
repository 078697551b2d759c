package dev.plexgate.control.allow;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/** Asks a running plexgate to reload through its admin listener. */
public final class ReloadClient {

    /** On loopback a running service answers at once; longer means it is stuck or not plexgate. */
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(2);

    private ReloadClient() {
    }

    /** {@code POST http://<admin>/reload}, {@code admin} being plexgate.yml's {@code admin.listen}. */
    public static ReloadOutcome reload(URI admin) {
        URI reload = admin.resolve("/reload");
        HttpClient client = HttpClient.newBuilder().connectTimeout(ADMIN_TIMEOUT).build();
        HttpRequest request = HttpRequest.newBuilder(reload)
                .timeout(ADMIN_TIMEOUT)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 == 2) {
                return new ReloadOutcome.Reloaded();
            }
            String body = response.body().strip();
            return new ReloadOutcome.Failed(body.isEmpty() ? "HTTP " + response.statusCode() : body);
        } catch (ConnectException e) {
            return new ReloadOutcome.NotRunning();
        } catch (HttpTimeoutException e) {
            return new ReloadOutcome.Failed("no answer from " + reload + " within "
                    + ADMIN_TIMEOUT.toSeconds() + " s");
        } catch (IOException e) {
            return new ReloadOutcome.Failed(reload + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ReloadOutcome.Failed("interrupted while waiting for " + reload);
        }
    }
}
