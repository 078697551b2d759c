package dev.plexgate.proxy.policy.lists;

import java.util.List;
import java.util.stream.Collectors;

/** A list file that cannot be used; its message lists every problem found, one per line. */
public final class ListException extends Exception {

    private static final long serialVersionUID = 1L;

    private final List<ListProblem> problems;

    ListException(List<ListProblem> problems) {
        // A stack trace says nothing about a mistake in a file: the problems are the whole story.
        super(problems.stream().map(ListProblem::toString).collect(Collectors.joining("\n")), null, false, false);
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a list exception without problems");
        }
        this.problems = List.copyOf(problems);
    }

    /** In the order they appear in the file. */
    public List<ListProblem> problems() {
        return problems;
    }
}
