package dev.plexgate.control.doctor;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of one check.
 *
 * @param verdict ok, warn or fail
 * @param text    what was found; never a secret
 * @param fix     what to do about it; null for ok
 */
public record Finding(Verdict verdict, String text, String fix) {

    public Finding {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(text, "text");
        if ((verdict == Verdict.OK) != (fix == null)) {
            throw new IllegalArgumentException("a fix goes with every warn and fail, and only with them");
        }
    }

    static Finding ok(String text) {
        return new Finding(Verdict.OK, text, null);
    }

    static Finding warn(String text, String fix) {
        return new Finding(Verdict.WARN, text, fix);
    }

    static Finding fail(String text, String fix) {
        return new Finding(Verdict.FAIL, text, fix);
    }

    /** {@code warn text} then {@code   fix: …}; a multi-line text keeps its lines aligned. */
    List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add(verdict.label() + " " + text.replace("\n", "\n     "));
        if (fix != null) {
            lines.add("  fix: " + fix);
        }
        return lines;
    }
}
