package dev.plexgate.control.doctor;

/** How one check came out, from best to worst; the worst decides the exit status. */
public enum Verdict {
    OK("ok  "),
    WARN("warn"),
    FAIL("fail");

    private final String label;

    Verdict(String label) {
        this.label = label;
    }

    /** Four characters wide, so the texts of all lines start in one column. */
    String label() {
        return label;
    }
}
