package dev.plexgate.control.doctor;

import java.io.PrintWriter;
import java.util.function.Consumer;

/** Prints each finding as it comes, and remembers the worst verdict for the exit status. */
public final class FindingPrinter implements Consumer<Finding> {

    private final PrintWriter out;
    private Verdict worst = Verdict.OK;

    public FindingPrinter(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void accept(Finding finding) {
        finding.lines().forEach(out::println);
        out.flush();
        if (finding.verdict().compareTo(worst) > 0) {
            worst = finding.verdict();
        }
    }

    /** OK until a warning, WARN until a failure. */
    public Verdict worst() {
        return worst;
    }
}
