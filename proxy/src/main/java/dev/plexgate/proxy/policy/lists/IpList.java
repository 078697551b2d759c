package dev.plexgate.proxy.policy.lists;

import dev.plexgate.proxy.policy.Cidr;
import dev.plexgate.proxy.policy.IpLiterals;
import dev.plexgate.proxy.policy.IpMatcher;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An IP list ready for requests: {@code ip.src in $list} and the name that labels a client's traffic.
 *
 * <p>Lookups read one volatile reference to an immutable range table and binary-search it: no lock, no DNS,
 * no allocation beyond the address bytes, O(log n) in the number of entries. Host-name entries are resolved
 * on the {@link HostRefresh#scheduler() scheduler}; each refresh that changes an address builds a new table
 * and swaps it in whole. A name that stops resolving keeps its last good addresses (a dynamic DNS outage must
 * not lock a friend out) and is logged once per failure streak.
 */
public final class IpList implements IpMatcher, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IpList.class);

    private static final Comparator<InetAddress> ADDRESS_ORDER = Comparator
            .comparingInt((InetAddress address) -> address.getAddress().length)
            .thenComparing(InetAddress::getAddress, Arrays::compareUnsigned);

    private final IpListFile file;
    private final HostResolver resolver;
    private volatile Snapshot snapshot;
    private volatile boolean closed;
    private volatile Future<?> firstRefresh;
    private volatile Future<?> periodicRefresh;

    private IpList(IpListFile file, HostResolver resolver) {
        this.file = file;
        this.resolver = resolver;
        List<HostState> unresolved = file.hosts().stream().map(host -> new HostState(host, List.of(), null)).toList();
        this.snapshot = build(unresolved);
    }

    /**
     * Builds the list and, when it has host names, resolves them: first while this method waits up to
     * {@link HostRefresh#initialWait()}, then every {@link HostRefresh#interval()} until {@link #close()}.
     */
    public static IpList create(IpListFile file, HostRefresh refresh) {
        IpList list = new IpList(file, refresh.resolver());
        if (!file.hosts().isEmpty()) {
            list.startRefreshing(refresh);
        }
        return list;
    }

    /** Builds the list without resolving anything: host-name entries match nothing (for tools kept off DNS). */
    public static IpList withoutResolving(IpListFile file) {
        return new IpList(file, hostName -> {
            throw new IOException("resolution is off");
        });
    }

    @Override
    public boolean contains(InetAddress address) {
        return contains(IpLiterals.normalize(address).getAddress());
    }

    @Override
    public boolean contains(byte[] normalisedAddress) {
        Snapshot current = snapshot;
        return (normalisedAddress.length == 4 ? current.v4 : current.v6).find(normalisedAddress) >= 0;
    }

    /**
     * The name of the narrowest named entry that covers {@code address}, or null when no entry covers it or
     * none of those that do has a name. A bounded label: it can only be a name written in the file.
     */
    public String nameFor(InetAddress address) {
        byte[] bytes = IpLiterals.normalize(address).getAddress();
        Snapshot current = snapshot;
        RangeTable table = bytes.length == 4 ? current.v4 : current.v6;
        int index = table.find(bytes);
        return index < 0 ? null : table.nameAt(index);
    }

    public IpListFile file() {
        return file;
    }

    /** Every host-name entry, in file order, with the addresses it matches now. */
    public List<HostState> hosts() {
        return snapshot.hosts;
    }

    /** Stops refreshing host names; lookups keep answering from the last table. */
    @Override
    public void close() {
        closed = true;
        for (Future<?> task : Arrays.asList(firstRefresh, periodicRefresh)) {
            if (task != null) {
                task.cancel(false);
            }
        }
    }

    private void startRefreshing(HostRefresh refresh) {
        firstRefresh = refresh.scheduler().submit(this::refresh);
        try {
            firstRefresh.get(refresh.initialWait().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            log.warn("{}: host names still resolving after {} ms; until they do they match nothing", file.file(),
                    refresh.initialWait().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            log.error("{}: resolving host names failed", file.file(), e.getCause());
        }
        long interval = refresh.interval().toNanos();
        periodicRefresh = refresh.scheduler().scheduleWithFixedDelay(this::refresh, interval, interval,
                TimeUnit.NANOSECONDS);
    }

    /** Resolves every host name once and swaps in a new table if any address changed. Background threads only. */
    synchronized void refresh() {
        if (closed) {
            return;
        }
        Snapshot current = snapshot;
        Map<String, Answer> answers = new HashMap<>();
        List<HostState> next = new ArrayList<>(current.hosts.size());
        boolean changed = false;
        for (HostState previous : current.hosts) {
            IpListEntry.Host entry = previous.entry();
            Answer answer = answers.computeIfAbsent(entry.canonicalName(), name -> resolve(entry.hostName()));
            if (answer.failure == null) {
                if (previous.failure() != null) {
                    log.info("{}:{}: host name {} resolves again, to {}", file.file(), entry.line(), entry.hostName(),
                            answer.addresses);
                }
                changed |= !answer.addresses.equals(previous.addresses());
                next.add(new HostState(entry, answer.addresses, null));
            } else {
                if (previous.failure() == null) {
                    log.warn("{}:{}: host name {} does not resolve ({}); it keeps matching {}", file.file(),
                            entry.line(), entry.hostName(), answer.failure, previous.addresses());
                }
                next.add(new HostState(entry, previous.addresses(), answer.failure));
            }
        }
        snapshot = changed ? build(next) : new Snapshot(current.v4, current.v6, List.copyOf(next));
    }

    private Answer resolve(String hostName) {
        try {
            List<InetAddress> addresses = resolver.resolve(hostName).stream()
                    .map(IpLiterals::normalize)
                    .distinct()
                    .sorted(ADDRESS_ORDER) // a resolver's round-robin order is no change
                    .toList();
            return addresses.isEmpty() ? new Answer(List.of(), "no addresses") : new Answer(addresses, null);
        } catch (IOException | RuntimeException e) {
            return new Answer(List.of(), e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** Tables for the static entries plus the given host states, spans in file order. */
    private Snapshot build(List<HostState> hosts) {
        List<RangeTable.Span> v4 = new ArrayList<>();
        List<RangeTable.Span> v6 = new ArrayList<>();
        int host = 0;
        for (IpListEntry entry : file.entries()) {
            List<Cidr> cidrs = entry instanceof IpListEntry.Network network
                    ? List.of(network.cidr())
                    : hosts.get(host++).addresses().stream()
                            .map(address -> new Cidr(address, address.getAddress().length * 8))
                            .toList();
            for (Cidr cidr : cidrs) {
                (cidr.network().getAddress().length == 4 ? v4 : v6).add(RangeTable.Span.of(cidr, entry.name()));
            }
        }
        return new Snapshot(RangeTable.build(v4), RangeTable.build(v6), List.copyOf(hosts));
    }

    private record Snapshot(RangeTable v4, RangeTable v6, List<HostState> hosts) {
    }

    private record Answer(List<InetAddress> addresses, String failure) {
    }
}
