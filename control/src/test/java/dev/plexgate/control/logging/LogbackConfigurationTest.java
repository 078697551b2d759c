package dev.plexgate.control.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.status.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/** The shipped logback.xml: one line per event, secrets masked in messages and stack traces. */
final class LogbackConfigurationTest {

    private static final String TIMESTAMP = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d)";

    @Test
    void message_oneLineWithTimestampLevelThreadLogger_tokenRedacted() throws Exception {
        String output = logWith(null, log ->
                log.info("GET {} from {}", "/library/parts/1/file.mkv?X-Plex-Token=abc123&offset=0", "198.51.100.4"));

        assertThat(output).matches(TIMESTAMP + " INFO  \\[main\\] d\\.p\\.p\\.h\\.ProxyHandler: GET "
                + "/library/parts/1/file\\.mkv\\?X-Plex-Token=REDACTED&offset=0 from 198\\.51\\.100\\.4\\R");
    }

    @Test
    void exception_traceFollows_tokenRedactedInIt() throws Exception {
        String output = logWith(null, log ->
                log.warn("upstream failed", new IOException("headers X-Plex-Token: abc123")));

        assertThat(output)
                .contains("WARN  [main] d.p.p.h.ProxyHandler: upstream failed")
                .contains("java.io.IOException: headers X-Plex-Token: REDACTED")
                .contains("\tat ")
                .doesNotContain("abc123");
    }

    @Test
    void levelVariable_setsTheRootLevel() throws Exception {
        String output = logWith("WARN", log -> {
            log.info("not shown");
            log.warn("shown");
        });

        assertThat(output).doesNotContain("not shown").contains("shown");
    }

    /**
     * Configures a fresh context from the shipped file and returns what it printed. The level
     * variable is set as a context property, which Logback consults before the environment.
     */
    private static String logWith(String level, Consumer<Logger> logging) throws Exception {
        LoggerContext context = new LoggerContext();
        // What Logback's service provider would do for the context SLF4J uses.
        context.setMDCAdapter(new LogbackMDCAdapter());
        if (level != null) {
            context.putProperty("PLEXGATE_LOG_LEVEL", level);
        }
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        // The console appender writes to whatever System.out is at the time of each write.
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(LogbackConfigurationTest.class.getResource("/logback.xml"));
            assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.toLevel(level, Level.INFO));
            logging.accept(context.getLogger("dev.plexgate.proxy.http.ProxyHandler"));
            assertThat(context.getStatusManager().getCopyOfStatusList())
                    .as("Logback's complaints about the file or while logging")
                    .filteredOn(status -> status.getLevel() >= Status.WARN)
                    .extracting(Status::getMessage)
                    .isEmpty();
        } finally {
            System.setOut(stdout);
            context.stop();
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
