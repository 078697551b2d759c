package dev.plexgate.control.doctor;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;

/** One {@code GET} to a local service, its failure turned into words; the headers never appear in them. */
final class HttpGet {

    /**
     * @param status 0 when nothing answered
     * @param body   the body, or why nothing answered
     */
    record Answer(int status, String body) {

        boolean answered() {
            return status != 0;
        }
    }

    private final HttpClient client;
    private final Duration timeout;

    HttpGet(Duration timeout) {
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.timeout = timeout;
    }

    Answer get(URI uri, Map<String, String> headers) throws InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout);
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (ConnectException e) {
            return new Answer(0, "connection refused");
        } catch (HttpTimeoutException e) {
            return new Answer(0, "no answer within " + timeout.toSeconds() + "s");
        } catch (IOException e) {
            return new Answer(0, e.getClass().getSimpleName());
        }
    }
}
