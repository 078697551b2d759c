package dev.plexgate.proxy.policy.lists;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.plexgate.proxy.policy.IpLiterals;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Host-name entries with a fake resolver. Refreshes are driven by calling {@link IpList#refresh()} (what the
 * scheduler runs) with an interval too long to fire, except in the test of the schedule itself.
 */
final class IpListRefreshTest {

    private static final Path FILE = Path.of("allow.list");
    private static final Duration NEVER = Duration.ofHours(1);
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final FakeResolver resolver = new FakeResolver();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(IpList.class);
    private ScheduledExecutorService scheduler;

    @BeforeEach
    void setUp() {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        logs.start();
        logger.addAppender(logs);
        logger.setLevel(Level.INFO);
        logger.setAdditive(false); // the warnings here are expected: keep them out of the build output
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        logger.detachAppender(logs);
        logger.setLevel(null);
        logger.setAdditive(true);
        scheduler.shutdownNow();
        assertThat(scheduler.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void create_resolvesOnceBeforeReturning() throws Exception {
        resolver.answer("carol.example.net", "203.0.113.7", "2001:db8::7");

        try (IpList list = create("carol.example.net carol\n198.51.100.0/24 office\n", NEVER, WAIT)) {
            assertThat(list.contains(ip("203.0.113.7"))).isTrue();
            assertThat(list.contains(ip("2001:db8::7"))).isTrue();
            assertThat(list.nameFor(ip("2001:db8::7"))).isEqualTo("carol");
            assertThat(list.contains(ip("198.51.100.9"))).isTrue();
            assertThat(list.hosts()).singleElement().satisfies(host -> {
                assertThat(host.entry().hostName()).isEqualTo("carol.example.net");
                assertThat(host.addresses()).containsExactly(ip("203.0.113.7"), ip("2001:db8::7"));
                assertThat(host.failure()).isNull();
            });
        }
    }

    @Test
    void beforeTheFirstAnswer_aHostMatchesNothing_andRequestsDoNotWait() throws Exception {
        CountDownLatch dnsAnswers = new CountDownLatch(1);
        resolver.answer("slow.example.net", "203.0.113.8");
        resolver.holdUntil(dnsAnswers);

        try (IpList list = create("slow.example.net dave\n", NEVER, Duration.ZERO)) {
            assertThat(list.contains(ip("203.0.113.8"))).isFalse();
            assertThat(list.hosts().get(0).attempted()).isFalse();
            assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage)
                    .containsExactly("allow.list: host names still resolving after 0 ms; until they do they match"
                            + " nothing");

            dnsAnswers.countDown();
            await().atMost(WAIT).until(() -> list.contains(ip("203.0.113.8")));
            assertThat(list.nameFor(ip("203.0.113.8"))).isEqualTo("dave");
        }
    }

    @Test
    void failedRefresh_keepsTheLastAddresses_andWarnsOncePerFailureStreak() throws Exception {
        resolver.answer("carol.example.net", "203.0.113.7");
        try (IpList list = create("# friends\ncarol.example.net carol\n", NEVER, WAIT)) {
            resolver.fail("carol.example.net");
            list.refresh();
            list.refresh();

            assertThat(list.contains(ip("203.0.113.7"))).isTrue();
            assertThat(list.hosts().get(0).failure())
                    .isEqualTo("UnknownHostException: carol.example.net: Name or service not known");
            assertThat(warnings()).containsExactly("allow.list:2: host name carol.example.net does not resolve"
                    + " (UnknownHostException: carol.example.net: Name or service not known); it keeps matching"
                    + " [/203.0.113.7]");

            resolver.answer("carol.example.net", "203.0.113.99");
            list.refresh();

            assertThat(list.contains(ip("203.0.113.99"))).isTrue();
            assertThat(list.contains(ip("203.0.113.7"))).isFalse();
            assertThat(list.hosts().get(0).failure()).isNull();
            assertThat(logs.list).filteredOn(event -> event.getLevel() == Level.INFO)
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .containsExactly("allow.list:2: host name carol.example.net resolves again, to [/203.0.113.99]");

            resolver.fail("carol.example.net");
            list.refresh();
            assertThat(warnings()).hasSize(2); // a new streak warns again
            assertThat(list.contains(ip("203.0.113.99"))).isTrue();
        }
    }

    @Test
    void emptyAnswer_isAFailure() throws Exception {
        resolver.answer("carol.example.net", "203.0.113.7");
        try (IpList list = create("carol.example.net\n", NEVER, WAIT)) {
            resolver.answer("carol.example.net");
            list.refresh();

            assertThat(list.contains(ip("203.0.113.7"))).isTrue();
            assertThat(list.hosts().get(0).failure()).isEqualTo("no addresses");
        }
    }

    @Test
    void changedAddresses_areSwappedIn_andReorderingIsNoChange() throws Exception {
        resolver.answer("carol.example.net", "203.0.113.7", "203.0.113.8");
        try (IpList list = create("carol.example.net carol\ncarol.example.net other\n", NEVER, WAIT)) {
            List<HostState> before = list.hosts();
            resolver.answer("carol.example.net", "203.0.113.8", "::ffff:203.0.113.7");
            list.refresh();
            assertThat(list.hosts()).isEqualTo(before);

            resolver.answer("carol.example.net", "2001:db8::1");
            list.refresh();
            assertThat(list.contains(ip("2001:db8::1"))).isTrue();
            assertThat(list.contains(ip("203.0.113.7"))).isFalse();
            assertThat(list.nameFor(ip("2001:db8::1"))).isEqualTo("carol");
            assertThat(resolver.calls.get()).as("one lookup per name and refresh").isEqualTo(3);
        }
    }

    @Test
    void theScheduleRefreshesInTheBackground_untilClosed() throws Exception {
        resolver.answer("carol.example.net", "203.0.113.7");
        IpList list = create("carol.example.net carol\n", Duration.ofMillis(5), WAIT);

        resolver.answer("carol.example.net", "203.0.113.50");
        await().atMost(WAIT).until(() -> list.contains(ip("203.0.113.50")));

        list.close();
        int callsAtClose = resolver.calls.get();
        list.refresh();
        assertThat(resolver.calls.get()).isEqualTo(callsAtClose);
        assertThat(list.contains(ip("203.0.113.50"))).as("a closed list still answers").isTrue();
    }

    @Test
    void listsWithoutHostNames_neverTouchTheScheduler() throws Exception {
        scheduler.shutdown();
        try (IpList list = create("203.0.113.7 bob\n", NEVER, WAIT)) {
            assertThat(list.contains(ip("203.0.113.7"))).isTrue();
        }
    }

    private IpList create(String text, Duration interval, Duration initialWait) throws ListException {
        return IpList.create(IpListFile.parse(FILE, text), new HostRefresh(resolver, scheduler, interval, initialWait));
    }

    private List<String> warnings() {
        return logs.list.stream()
                .filter(event -> event.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    private static InetAddress ip(String literal) {
        return IpLiterals.parse(literal);
    }

    /** Answers from a table the test edits; a missing name fails like the system resolver does. */
    private static final class FakeResolver implements HostResolver {

        private final Map<String, List<InetAddress>> answers = new ConcurrentHashMap<>();
        private final AtomicInteger calls = new AtomicInteger();
        private volatile CountDownLatch gate = new CountDownLatch(0);

        void answer(String hostName, String... addresses) {
            List<InetAddress> parsed = new ArrayList<>();
            for (String address : addresses) {
                parsed.add(address.startsWith("::ffff:") ? mapped(address) : ip(address));
            }
            answers.put(hostName, List.copyOf(parsed));
        }

        void fail(String hostName) {
            answers.remove(hostName);
        }

        void holdUntil(CountDownLatch latch) {
            gate = latch;
        }

        @Override
        public List<InetAddress> resolve(String hostName) throws IOException {
            calls.incrementAndGet();
            try {
                if (!gate.await(10, TimeUnit.SECONDS)) {
                    throw new IOException("the test never released the resolver");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            List<InetAddress> answer = answers.get(hostName);
            if (answer == null) {
                throw new UnknownHostException(hostName + ": Name or service not known");
            }
            return answer;
        }

        /** An IPv6 object for {@code ::ffff:a.b.c.d}, as some resolvers return, which the list must fold. */
        private static InetAddress mapped(String literal) {
            byte[] v4 = ip(literal.substring("::ffff:".length())).getAddress();
            byte[] bytes = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, v4[0], v4[1], v4[2], v4[3]};
            try {
                return Inet6Address.getByAddress(null, bytes, -1);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(e);
            }
        }
    }
}
