package dev.plexgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.plexgate.proxy.testing.RawHttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * Plex tokens travel in query strings and headers (DESIGN §10). Every path that logs — refused
 * connection, timeout, reset, malformed request, idle cut — runs here with tokens in the request,
 * at DEBUG, and no captured line may contain one.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
final class SecretsInLogsTest {

    private static final String QUERY_TOKEN = "qTokenSecret123";
    private static final String HEADER_TOKEN = "hTokenSecret456";
    private static final String NOTIFICATION_TOKEN = "nTokenSecret789";

    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private Logger root;
    private Level rootLevel;

    @BeforeEach
    void capture() {
        root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        rootLevel = root.getLevel();
        root.setLevel(Level.DEBUG);
        captured.start();
        root.addAppender(captured);
    }

    @AfterEach
    void release() {
        root.detachAppender(captured);
        root.setLevel(rootLevel);
    }

    @Test
    void noLogLine_carriesAPlexToken() throws Exception {
        String request = "GET %s?X-Plex-Token=" + QUERY_TOKEN + "&X-Plex-Device-Notification-Token=" + NOTIFICATION_TOKEN
                + " HTTP/1.1\r\nHost: plex\r\nConnection: close\r\nX-Plex-Token: " + HEADER_TOKEN + "\r\n\r\n";
        try (ProxyHarness harness = ProxyHarness.start(ProxyHarness.timeouts(t -> new ProxySettings.Timeouts(
                t.connect(), Duration.ofMillis(300), t.requestHeader(), t.keepAlive(), Duration.ofMillis(500),
                t.upstreamKeepAlive(), t.shutdown())))) {
            exchange(harness, String.format(request, "/reset?after=10"));
            exchange(harness, String.format(request, "/delay?ms=2000"));
            exchange(harness, String.format(request, "/identity").replace("\r\n\r\n", "\r\nX-A: 1\r\n fold\r\n\r\n"));
            exchange(harness, String.format(request, "/identity").replace("HTTP/1.1", "HTTP/1.2"));
            harness.origin.stop();
            exchange(harness, String.format(request, "/library/sections"));
        }

        List<String> lines = captured.list.stream()
                .map(e -> e.getFormattedMessage() + (e.getThrowableProxy() == null ? ""
                        : ThrowableProxyUtil.asString(e.getThrowableProxy())))
                .toList();
        assertThat(lines).as("some failure paths logged").isNotEmpty();
        assertThat(lines).noneMatch(line -> line.contains(QUERY_TOKEN) || line.contains(HEADER_TOKEN)
                || line.contains(NOTIFICATION_TOKEN));
    }

    private static void exchange(ProxyHarness harness, String raw) throws Exception {
        try (RawHttpClient client = new RawHttpClient(harness.port())) {
            client.send(raw);
            client.readUntilClosed();
        } catch (java.io.IOException expected) {
            // resets and timeouts are the point here
        }
    }
}
