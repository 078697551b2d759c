package dev.plexgate.control.cli;

import dev.plexgate.control.config.ConfigException;
import dev.plexgate.control.config.ConfigLoader;
import dev.plexgate.control.events.EventFiles;
import dev.plexgate.control.events.EventFilter;
import dev.plexgate.control.events.EventLine;
import dev.plexgate.control.events.EventTable;
import dev.plexgate.control.events.FileTail;
import dev.plexgate.proxy.events.SecurityEvent;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code plexgate events}: the security events file, as a table or as its JSON lines. */
@Command(name = "events",
        header = "Show the requests that rules blocked, skipped or logged.",
        description = "Reads the events file named by events.file in plexgate.yml: one line per request that"
                + " matched a block, skip or log rule. Prints a table in UTC by default, or the JSON lines as"
                + " written with --json.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            " 0:events printed (possibly none), or --follow stopped",
            " 1:no events file yet",
            " 2:invalid configuration or command line"})
final class EventsCommand implements Callable<Integer> {

    /** How often --follow looks for new lines. */
    static final Duration POLL_INTERVAL = Duration.ofMillis(250);

    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    private boolean help;

    @Mixin
    private ConfigOption config;

    @Option(names = {"-f", "--follow"}, description = "Keep printing events as they are written, until Ctrl-C.")
    private boolean follow;

    @Option(names = "--action", paramLabel = "ACTION", converter = ActionConverter.class,
            description = "Only events of this action: block, skip or log.")
    private SecurityEvent.Action action;

    @Option(names = "--since", paramLabel = "DURATION", converter = AgeConverter.class,
            description = "Only events of the last DURATION, such as 30s, 10m, 2h or 1d; also reads the"
                    + " rotated files.")
    private Duration since;

    @Option(names = "--json", description = "Print the events' JSON lines as written, not a table.")
    private boolean json;

    @Override
    public Integer call() throws ConfigException, IOException, InterruptedException, ExecutionException {
        Path configFile = config.file();
        Path file = ConfigLoader.load(configFile).events().file();
        PrintWriter out = spec.commandLine().getOut();
        if (!Files.exists(file)) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("no events yet: " + file + " does not exist; plexgate writes it when a rule blocks,"
                    + " skips or logs a request");
            err.flush();
            return 1;
        }
        Instant cutoff = since == null ? null : Instant.now().minus(since);
        Printer printer = new Printer(new EventFilter(action == null ? null : action.label(), cutoff), file);
        if (!json) {
            out.println(EventTable.header());
        }
        List<Path> rotated = cutoff == null ? List.of() : EventFiles.rotatedSince(file, cutoff);
        for (Path old : rotated) {
            try (FileTail tail = new FileTail(old)) {
                tail.readRest(printer::print);
            }
        }
        try (FileTail live = new FileTail(file)) {
            if (!follow) {
                live.readRest(printer::print);
                printer.done();
                return 0;
            }
            live.readNew(printer::print);
            printer.done();
            follow(live, printer);
        }
        return 0;
    }

    /** Polls until interrupted: Ctrl-C ends the JVM, a test interrupts the thread. */
    private void follow(FileTail live, Printer printer) throws InterruptedException, ExecutionException {
        ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "plexgate-events-follow");
            thread.setDaemon(true);
            return thread;
        });
        try {
            ScheduledFuture<?> polling = poller.scheduleWithFixedDelay(() -> {
                try {
                    live.readNew(printer::print);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                printer.done();
            }, POLL_INTERVAL.toMillis(), POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
            polling.get();
        } catch (InterruptedException stop) {
            // The usual end of --follow.
        } finally {
            poller.shutdownNow();
            poller.awaitTermination(POLL_INTERVAL.toMillis() * 4, TimeUnit.MILLISECONDS);
        }
    }

    /** Prints accepted lines and warns once about lines that are not events. */
    private final class Printer {

        private final EventFilter filter;
        private final Path file;
        private long malformed;
        private boolean warned;

        Printer(EventFilter filter, Path file) {
            this.filter = filter;
            this.file = file;
        }

        void print(String line) {
            if (line.isBlank()) {
                return;
            }
            Optional<EventLine> event = EventLine.parse(line);
            if (event.isEmpty()) {
                malformed++;
            } else if (filter.accepts(event.get())) {
                spec.commandLine().getOut().println(json ? line : EventTable.row(event.get()));
            }
        }

        /** The end of a batch: show it, and say once that lines were skipped. */
        void done() {
            spec.commandLine().getOut().flush();
            if (malformed > 0 && !warned) {
                warned = true;
                PrintWriter err = spec.commandLine().getErr();
                err.println("plexgate: skipped " + malformed + " malformed line" + (malformed == 1 ? "" : "s")
                        + " in " + file + " and its rotated files");
                err.flush();
            }
        }
    }

    static final class ActionConverter implements CommandLine.ITypeConverter<SecurityEvent.Action> {

        @Override
        public SecurityEvent.Action convert(String value) {
            for (SecurityEvent.Action candidate : SecurityEvent.Action.values()) {
                if (candidate.label().equals(value.toLowerCase(Locale.ROOT))) {
                    return candidate;
                }
            }
            throw new CommandLine.TypeConversionException("'" + value + "' is not an action (expected: block, skip or log)");
        }
    }

    static final class AgeConverter implements CommandLine.ITypeConverter<Duration> {

        private static final Pattern AGE = Pattern.compile("([0-9]{1,9})([smhd])");

        @Override
        public Duration convert(String value) {
            Matcher matcher = AGE.matcher(value);
            if (!matcher.matches()) {
                throw new CommandLine.TypeConversionException(
                        "'" + value + "' is not a duration (expected: a number and s, m, h or d, such as 30s, 10m, 2h or 1d)");
            }
            ChronoUnit unit = switch (matcher.group(2)) {
                case "s" -> ChronoUnit.SECONDS;
                case "m" -> ChronoUnit.MINUTES;
                case "h" -> ChronoUnit.HOURS;
                default -> ChronoUnit.DAYS;
            };
            return Duration.of(Long.parseLong(matcher.group(1)), unit);
        }
    }
}
