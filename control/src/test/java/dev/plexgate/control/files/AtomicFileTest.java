package dev.plexgate.control.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file is replaced by a rename, with its mode, and nothing is left behind. */
final class AtomicFileTest {

    @TempDir
    Path dir;

    @Test
    void replace_renamesANewFileOverTheOld_keepingItsPermissions() throws IOException {
        Path file = Files.writeString(dir.resolve("allow.list"), "old\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        Object inodeBefore = Files.getAttribute(file, "unix:ino");

        AtomicFile.replace(file, "new\n".getBytes(StandardCharsets.UTF_8));

        assertThat(file).hasContent("new");
        assertThat(Files.getAttribute(file, "unix:ino")).isNotEqualTo(inodeBefore);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r-----");
        assertThat(Files.getAttribute(file, "unix:uid")).isEqualTo(Files.getAttribute(dir, "unix:uid"));
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void replace_throughASymbolicLink_replacesItsTargetAndKeepsTheLink() throws IOException {
        Path target = Files.writeString(Files.createDirectory(dir.resolve("real")).resolve("allow.list"), "old\n");
        Path link = Files.createSymbolicLink(dir.resolve("allow.list"), target);

        AtomicFile.replace(link, "new\n".getBytes(StandardCharsets.UTF_8));

        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(target).hasContent("new");
    }
}
