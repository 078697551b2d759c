package dev.plexgate.proxy.policy.lists;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.TreeSet;

/**
 * Finds which of many substrings occur in a text, ignoring case, in one pass: an Aho–Corasick automaton
 * compiled to a complete transition table, so each character costs one array read whatever the number of
 * patterns. Characters that occur in no pattern share one symbol, which keeps the table narrow.
 */
final class AhoCorasick {

    private static final int NONE = Integer.MAX_VALUE;

    private final int[] asciiSymbols = new int[128];
    private final char[] otherChars; // sorted, folded, non-ASCII characters of the patterns
    private final int[] otherSymbols;
    private final int width;
    // next[state + symbol]: the next state, already multiplied by width; complemented (negative) when a
    // pattern ends there, so the scan tests for a match without a second array read.
    private final int[] next;
    private final int[] firstPattern; // per state (divided by width): the lowest pattern index ending there

    AhoCorasick(List<String> patterns) {
        TreeSet<Character> alphabet = new TreeSet<>();
        for (String pattern : patterns) {
            for (int i = 0; i < pattern.length(); i++) {
                alphabet.add(fold(pattern.charAt(i)));
            }
        }
        List<Character> symbols = new ArrayList<>(alphabet); // symbol 0 stands for every other character
        width = symbols.size() + 1;
        for (char c = 0; c < 128; c++) {
            asciiSymbols[c] = symbols.indexOf(fold(c)) + 1;
        }
        List<Character> others = symbols.stream().filter(c -> c >= 128).toList();
        otherChars = new char[others.size()];
        otherSymbols = new int[others.size()];
        for (int i = 0; i < others.size(); i++) {
            otherChars[i] = others.get(i);
            otherSymbols[i] = symbols.indexOf(others.get(i)) + 1;
        }

        List<int[]> rows = new ArrayList<>();
        List<Integer> outputs = new ArrayList<>();
        rows.add(new int[width]);
        outputs.add(NONE);
        for (int p = 0; p < patterns.size(); p++) {
            int state = 0;
            for (int i = 0; i < patterns.get(p).length(); i++) {
                int symbol = symbol(patterns.get(p).charAt(i));
                if (rows.get(state)[symbol] == 0) {
                    rows.get(state)[symbol] = rows.size();
                    rows.add(new int[width]);
                    outputs.add(NONE);
                }
                state = rows.get(state)[symbol];
            }
            outputs.set(state, Math.min(outputs.get(state), p));
        }

        // Breadth first, so a state's failure state is complete before the state itself is.
        int[] failure = new int[rows.size()];
        Deque<Integer> queue = new ArrayDeque<>();
        queue.add(0);
        while (!queue.isEmpty()) {
            int state = queue.poll();
            int[] row = rows.get(state);
            for (int symbol = 0; symbol < width; symbol++) {
                int child = row[symbol];
                int fallback = state == 0 ? 0 : rows.get(failure[state])[symbol];
                if (child == 0) {
                    row[symbol] = fallback;
                } else {
                    failure[child] = fallback;
                    outputs.set(child, Math.min(outputs.get(child), outputs.get(fallback)));
                    queue.add(child);
                }
            }
        }

        next = new int[rows.size() * width];
        firstPattern = new int[rows.size()];
        for (int state = 0; state < rows.size(); state++) {
            for (int symbol = 0; symbol < width; symbol++) {
                int target = rows.get(state)[symbol];
                next[state * width + symbol] = outputs.get(target) == NONE ? target * width : ~(target * width);
            }
            firstPattern[state] = outputs.get(state);
        }
    }

    /** True when any pattern occurs in {@code text}; stops at the first one found. */
    boolean matchesAny(String text) {
        int state = 0;
        for (int i = 0; i < text.length(); i++) {
            state = next[state + symbol(text.charAt(i))];
            if (state < 0) {
                return true;
            }
        }
        return false;
    }

    /** The lowest index of a pattern that occurs in {@code text}, or -1. */
    int firstMatch(String text) {
        int best = NONE;
        int state = 0;
        for (int i = 0; i < text.length(); i++) {
            state = next[state + symbol(text.charAt(i))];
            if (state < 0) {
                state = ~state;
                best = Math.min(best, firstPattern[state / width]);
            }
        }
        return best == NONE ? -1 : best;
    }

    private int symbol(char c) {
        if (c < 128) {
            return asciiSymbols[c];
        }
        int index = Arrays.binarySearch(otherChars, fold(c));
        return index < 0 ? 0 : otherSymbols[index];
    }

    /** Per character, so that folding never changes a text's length as {@code String.toLowerCase} can. */
    private static char fold(char c) {
        return Character.toLowerCase(c);
    }
}
