package dev.plexgate.agent;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/** Collects what the relay and the supervisor log, in memory, for the duration of a test. */
final class LogCapture implements AutoCloseable {

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final List<Logger> loggers;

    LogCapture() {
        loggers = List.of((Logger) LoggerFactory.getLogger("cloudflared"),
                (Logger) LoggerFactory.getLogger(TunnelAgent.class));
        appender.start();
        for (Logger logger : loggers) {
            logger.setLevel(Level.DEBUG);
            logger.setAdditive(false);
            logger.addAppender(appender);
        }
    }

    /** Every event so far as {@code LEVEL logger: message}. */
    List<String> lines() {
        synchronized (appender) {
            return appender.list.stream()
                    .map(event -> event.getLevel() + " " + shortName(event.getLoggerName()) + ": "
                            + event.getFormattedMessage())
                    .collect(Collectors.toList());
        }
    }

    boolean has(String fragment) {
        return lines().stream().anyMatch(line -> line.contains(fragment));
    }

    @Override
    public void close() {
        for (Logger logger : loggers) {
            logger.detachAppender(appender);
            logger.setAdditive(true);
            logger.setLevel(null);
        }
        appender.stop();
    }

    private static String shortName(String logger) {
        return logger.substring(logger.lastIndexOf('.') + 1);
    }
}
