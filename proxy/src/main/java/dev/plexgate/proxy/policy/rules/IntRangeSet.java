package dev.plexgate.proxy.policy.rules;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The integers of a {@code {1 3..5}} set as sorted, merged, inclusive ranges searched in O(log n). */
final class IntRangeSet {

    private final long[] lows;
    private final long[] highs;

    private IntRangeSet(long[] lows, long[] highs) {
        this.lows = lows;
        this.highs = highs;
    }

    /** From {@code {low, high}} pairs, low ≤ high. */
    static IntRangeSet of(List<long[]> ranges) {
        List<long[]> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparingLong(range -> range[0]));
        List<long[]> merged = new ArrayList<>();
        for (long[] range : sorted) {
            long[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && range[0] <= last[1]) {
                last[1] = Math.max(last[1], range[1]);
            } else {
                merged.add(range.clone());
            }
        }
        return new IntRangeSet(merged.stream().mapToLong(r -> r[0]).toArray(),
                merged.stream().mapToLong(r -> r[1]).toArray());
    }

    boolean contains(long value) {
        int low = 0;
        int high = lows.length - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (value < lows[mid]) {
                high = mid - 1;
            } else if (value > highs[mid]) {
                low = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }
}
