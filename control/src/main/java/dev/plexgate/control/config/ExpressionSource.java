package dev.plexgate.control.config;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * A Rules language expression as written in {@code plexgate.yml}: its text, and where each of its
 * characters stands in the file, so that a compile error points at the offending token in the file
 * and not only inside the expression.
 *
 * <p>Positions are known for one-line plain and quoted scalars and for block scalars ({@code |},
 * {@code >}); past anything the mapping cannot follow (a plain scalar folded over several lines, an
 * unusual escape) a character is located at the start of the value.
 */
public final class ExpressionSource {

    private final String text;
    private final SourceLocation at;
    private final int[] lines;
    private final int[] columns;

    private ExpressionSource(String text, SourceLocation at, int[] lines, int[] columns) {
        this.text = Objects.requireNonNull(text, "text");
        this.at = Objects.requireNonNull(at, "at");
        this.lines = lines;
        this.columns = columns;
    }

    /** An expression known only by where it starts. */
    public static ExpressionSource at(String text, SourceLocation at) {
        return new ExpressionSource(text, at, new int[0], new int[0]);
    }

    /** The expression of {@code node}, mapped back into {@code document}, the file's whole text. */
    static ExpressionSource of(YamlNode.Scalar node, String document, Path file) {
        ScalarPositions positions = ScalarPositions.map(node, document);
        return new ExpressionSource(node.text(), new SourceLocation(file, node.line(), node.column()),
                positions.lines(), positions.columns());
    }

    /** The expression as the rules compiler and the export see it. */
    public String text() {
        return text;
    }

    /** Where the value starts in the file. */
    public SourceLocation at() {
        return at;
    }

    /**
     * Where the character at {@code line} and {@code column} of the expression (both 1-based, as a
     * {@link dev.plexgate.proxy.policy.rules.RuleError} gives them) stands in the file.
     */
    public SourceLocation locate(int line, int column) {
        int index = 0;
        for (int l = 1; l < line; l++) {
            int newline = text.indexOf('\n', index);
            if (newline < 0) {
                return at;
            }
            index = newline + 1;
        }
        index += column - 1;
        if (index == text.length() && index == lines.length && index > 0) {
            // "expected a value after 'eq', found end of input": just past the last character.
            return new SourceLocation(at.file(), lines[index - 1], columns[index - 1] + 1);
        }
        return index >= 0 && index < lines.length ? new SourceLocation(at.file(), lines[index], columns[index]) : at;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ExpressionSource that && text.equals(that.text) && at.equals(that.at)
                && Arrays.equals(lines, that.lines) && Arrays.equals(columns, that.columns);
    }

    @Override
    public int hashCode() {
        return Objects.hash(text, at);
    }

    @Override
    public String toString() {
        return text;
    }
}
