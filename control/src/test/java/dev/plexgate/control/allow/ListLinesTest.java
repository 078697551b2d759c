package dev.plexgate.control.allow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Adding and removing lines keeps every other byte, line endings and the final-newline convention. */
final class ListLinesTest {

    @Test
    void append_afterAFinalNewline_endsWithOne() {
        assertThat(new ListLines("# a\n\n1.2.3.4\n").withAppended("5.6.7.8")).isEqualTo("# a\n\n1.2.3.4\n5.6.7.8\n");
    }

    @Test
    void append_toACrlfFile_usesCrlf() {
        assertThat(new ListLines("# a\r\n1.2.3.4\r\n").withAppended("5.6.7.8")).isEqualTo("# a\r\n1.2.3.4\r\n5.6.7.8\r\n");
    }

    @Test
    void append_withoutAFinalNewline_stillEndsWithoutOne() {
        ListLines lines = new ListLines("# a\n1.2.3.4");

        assertThat(lines.withAppended("5.6.7.8")).isEqualTo("# a\n1.2.3.4\n5.6.7.8");
        assertThat(lines.nextLineNumber()).isEqualTo(3);
    }

    @Test
    void append_toAnEmptyFile_writesOneLine() {
        ListLines lines = new ListLines("");

        assertThat(lines.withAppended("5.6.7.8")).isEqualTo("5.6.7.8\n");
        assertThat(lines.nextLineNumber()).isEqualTo(1);
    }

    @Test
    void nextLineNumber_countsTheParsersLines() {
        assertThat(new ListLines("a\r\nb\rc\n").nextLineNumber()).isEqualTo(4);
    }

    @Test
    void without_dropsTheLinesWithTheirTerminators() {
        assertThat(new ListLines("# a\r\n1.2.3.4  bob\r\n\r\n5.6.7.8\r\n").without(Set.of(2, 4))).isEqualTo("# a\r\n\r\n");
    }

    @Test
    void without_theLastLineOfAFileWithoutFinalNewline_keepsThatConvention() {
        assertThat(new ListLines("# a\n1.2.3.4\n5.6.7.8").without(Set.of(3))).isEqualTo("# a\n1.2.3.4");
    }

    @Test
    void content_ofTheFirstLine_leavesTheByteOrderMarkOut() {
        ListLines lines = new ListLines("\uFEFF1.2.3.4  bob\n");

        assertThat(lines.content(1)).isEqualTo("1.2.3.4  bob");
        assertThat(lines.withAppended("5.6.7.8")).isEqualTo("\uFEFF1.2.3.4  bob\n5.6.7.8\n");
    }
}
