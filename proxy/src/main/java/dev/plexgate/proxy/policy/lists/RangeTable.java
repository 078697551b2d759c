package dev.plexgate.proxy.policy.lists;

import dev.plexgate.proxy.policy.Cidr;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

/**
 * Disjoint, sorted address ranges of one family, each labelled with a name, searched by binary search.
 *
 * <p>Addresses are unsigned 128-bit keys held as two longs (IPv4 uses only the low 32 bits), so a lookup
 * allocates nothing and costs O(log n). Built from CIDRs, which either nest or are disjoint: a range's name
 * is that of the narrowest named CIDR covering it (the first in the file among equal ones), which is what a
 * reader of the list expects when {@code 10.0.0.0/8 office} holds {@code 10.1.2.3 bob}.
 */
final class RangeTable {

    private final long[] startHi;
    private final long[] startLo;
    private final long[] endHi;
    private final long[] endLo;
    private final String[] names;

    private RangeTable(List<Segment> segments) {
        int n = segments.size();
        startHi = new long[n];
        startLo = new long[n];
        endHi = new long[n];
        endLo = new long[n];
        names = new String[n];
        for (int i = 0; i < n; i++) {
            Segment segment = segments.get(i);
            startHi[i] = segment.start.hi;
            startLo[i] = segment.start.lo;
            endHi[i] = segment.end.hi;
            endLo[i] = segment.end.lo;
            names[i] = segment.name;
        }
    }

    /** A CIDR as a closed key range, with the name of the entry it came from (null when unnamed). */
    record Span(Key start, Key end, String name) {

        static Span of(Cidr cidr, String name) {
            byte[] bytes = cidr.network().getAddress();
            int bits = bytes.length * 8;
            Key start = bytes.length == 4 ? new Key(0, readLong(bytes, 0, 4)) : new Key(readLong(bytes, 0, 8),
                    readLong(bytes, 8, 8));
            int hostBits = bits - cidr.prefixLength();
            long loMask = hostBits >= 64 ? -1L : (1L << hostBits) - 1;
            long hiMask = hostBits <= 64 ? 0 : hostBits == 128 ? -1L : (1L << (hostBits - 64)) - 1;
            return new Span(start, new Key(start.hi | hiMask, start.lo | loMask), name);
        }

        private static long readLong(byte[] bytes, int from, int length) {
            long value = 0;
            for (int i = from; i < from + length; i++) {
                value = value << 8 | (bytes[i] & 0xFF);
            }
            return value;
        }
    }

    /** An unsigned 128-bit address key. */
    record Key(long hi, long lo) implements Comparable<Key> {

        @Override
        public int compareTo(Key other) {
            return compare(hi, lo, other.hi, other.lo);
        }

        /** The next key, or null after the last one. */
        Key successor() {
            if (lo != -1L) {
                return new Key(hi, lo + 1);
            }
            return hi == -1L ? null : new Key(hi + 1, 0);
        }

        Key predecessor() {
            return lo != 0 ? new Key(hi, lo - 1) : new Key(hi - 1, -1L);
        }
    }

    /** Sweeps the nested spans into disjoint segments, each named after its innermost named span. */
    static RangeTable build(List<Span> spans) {
        List<Span> sorted = new ArrayList<>(spans);
        // Stable: among equal spans the first in the file stays first.
        sorted.sort(Comparator.comparing(Span::start).thenComparing(Span::end, Comparator.reverseOrder()));
        List<Segment> out = new ArrayList<>();
        Deque<Frame> open = new ArrayDeque<>();
        Key cursor = null; // the first key of the open spans not yet written to a segment
        for (Span span : sorted) {
            while (!open.isEmpty() && open.peek().end.compareTo(span.start) < 0) {
                cursor = emit(out, cursor, open.pop());
            }
            Frame parent = open.peek();
            if (parent == null) {
                open.push(new Frame(span.start, span.end, span.name, span.name != null));
            } else if (parent.start.equals(span.start) && parent.end.equals(span.end)) {
                if (!parent.ownName && span.name != null) {
                    open.pop();
                    open.push(new Frame(span.start, span.end, span.name, true));
                }
                continue;
            } else {
                if (cursor.compareTo(span.start) < 0) {
                    append(out, new Segment(cursor, span.start.predecessor(), parent.name));
                }
                String name = span.name != null ? span.name : parent.name;
                open.push(new Frame(span.start, span.end, name, span.name != null));
            }
            cursor = span.start;
        }
        while (!open.isEmpty()) {
            cursor = emit(out, cursor, open.pop());
        }
        return new RangeTable(out);
    }

    /** The index of the segment holding the address ({@code getAddress()} bytes of this family), or -1. */
    int find(byte[] address) {
        return address.length == 4 ? find(0, Span.readLong(address, 0, 4))
                : find(Span.readLong(address, 0, 8), Span.readLong(address, 8, 8));
    }

    private int find(long hi, long lo) {
        int low = 0;
        int high = names.length - 1;
        int candidate = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (compare(startHi[mid], startLo[mid], hi, lo) <= 0) {
                candidate = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return candidate >= 0 && compare(hi, lo, endHi[candidate], endLo[candidate]) <= 0 ? candidate : -1;
    }

    String nameAt(int index) {
        return names[index];
    }

    private static Key emit(List<Segment> out, Key cursor, Frame closing) {
        if (cursor != null && cursor.compareTo(closing.end) <= 0) {
            append(out, new Segment(cursor, closing.end, closing.name));
        }
        return closing.end.successor();
    }

    private static void append(List<Segment> out, Segment segment) {
        if (!out.isEmpty()) {
            Segment last = out.get(out.size() - 1);
            if (Objects.equals(last.name, segment.name) && segment.start.equals(last.end.successor())) {
                out.set(out.size() - 1, new Segment(last.start, segment.end, last.name));
                return;
            }
        }
        out.add(segment);
    }

    private static int compare(long aHi, long aLo, long bHi, long bLo) {
        int byHi = Long.compareUnsigned(aHi, bHi);
        return byHi != 0 ? byHi : Long.compareUnsigned(aLo, bLo);
    }

    private record Frame(Key start, Key end, String name, boolean ownName) {
    }

    private record Segment(Key start, Key end, String name) {
    }
}
