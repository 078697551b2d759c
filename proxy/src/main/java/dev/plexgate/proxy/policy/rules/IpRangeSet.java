package dev.plexgate.proxy.policy.rules;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The addresses, CIDRs and ranges of an {@code ip.src in {…}} set as sorted, merged ranges per
 * family, searched in O(log n) against the numeric address {@link RequestFacts} derives once. IPv4
 * values match only IPv4 entries and IPv6 only IPv6 ones.
 */
final class IpRangeSet {

    /** Unsigned IPv4 values in longs. */
    private final long[] v4Lows;
    private final long[] v4Highs;
    /** IPv6 values as (high 64 bits, low 64 bits), compared unsigned. */
    private final long[] v6LowsHigh;
    private final long[] v6LowsLow;
    private final long[] v6HighsHigh;
    private final long[] v6HighsLow;

    private IpRangeSet(List<BigInteger[]> v4, List<BigInteger[]> v6) {
        v4Lows = v4.stream().mapToLong(r -> r[0].longValue()).toArray();
        v4Highs = v4.stream().mapToLong(r -> r[1].longValue()).toArray();
        v6LowsHigh = v6.stream().mapToLong(r -> r[0].shiftRight(64).longValue()).toArray();
        v6LowsLow = v6.stream().mapToLong(r -> r[0].longValue()).toArray();
        v6HighsHigh = v6.stream().mapToLong(r -> r[1].shiftRight(64).longValue()).toArray();
        v6HighsLow = v6.stream().mapToLong(r -> r[1].longValue()).toArray();
    }

    /** One entry: the first and last address of a range, of the same family, first ≤ last. */
    record Entry(InetAddress first, InetAddress last) {
    }

    static IpRangeSet of(List<Entry> entries) {
        List<BigInteger[]> v4 = new ArrayList<>();
        List<BigInteger[]> v6 = new ArrayList<>();
        for (Entry entry : entries) {
            BigInteger[] range = {new BigInteger(1, entry.first().getAddress()),
                new BigInteger(1, entry.last().getAddress())};
            (entry.first() instanceof Inet4Address ? v4 : v6).add(range);
        }
        return new IpRangeSet(merge(v4), merge(v6));
    }

    private static List<BigInteger[]> merge(List<BigInteger[]> ranges) {
        ranges.sort(Comparator.comparing(range -> range[0]));
        List<BigInteger[]> merged = new ArrayList<>();
        for (BigInteger[] range : ranges) {
            BigInteger[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && range[0].compareTo(last[1]) <= 0) {
                last[1] = last[1].max(range[1]);
            } else {
                merged.add(range.clone());
            }
        }
        return merged;
    }

    boolean contains(RequestFacts facts) {
        return facts.isIpv4() ? containsV4(facts.ipv4Value()) : containsV6(facts.ipv6High(), facts.ipv6Low());
    }

    private boolean containsV4(long value) {
        int low = 0;
        int high = v4Lows.length - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (value < v4Lows[mid]) {
                high = mid - 1;
            } else if (value > v4Highs[mid]) {
                low = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }

    private boolean containsV6(long valueHigh, long valueLow) {
        int low = 0;
        int high = v6LowsHigh.length - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (compare(valueHigh, valueLow, v6LowsHigh[mid], v6LowsLow[mid]) < 0) {
                high = mid - 1;
            } else if (compare(valueHigh, valueLow, v6HighsHigh[mid], v6HighsLow[mid]) > 0) {
                low = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }

    private static int compare(long aHigh, long aLow, long bHigh, long bLow) {
        int byHigh = Long.compareUnsigned(aHigh, bHigh);
        return byHigh != 0 ? byHigh : Long.compareUnsigned(aLow, bLow);
    }
}
