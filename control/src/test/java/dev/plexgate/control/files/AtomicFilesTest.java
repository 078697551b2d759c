package dev.plexgate.control.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void stagedPrivateFile_isOwnerOnlyBeforeItIsInPlace() throws Exception {
        try (AtomicFiles files = new AtomicFiles(dir)) {
            files.stage("server.key", bytes("key"), AtomicFiles.PRIVATE, null);

            Path staged = only(dir);
            assertThat(staged.getFileName().toString()).startsWith(".server.key.").endsWith(".tmp");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(staged))).isEqualTo("rw-------");
            assertThat(dir.resolve("server.key")).doesNotExist();
        }
    }

    @Test
    void commit_replacesEveryTarget_withItsMode_andLeavesNothingElse() throws Exception {
        Files.writeString(dir.resolve("server.pem"), "old");

        try (AtomicFiles files = new AtomicFiles(dir)) {
            files.stage("server.pem", bytes("certificate"), AtomicFiles.PUBLIC, null);
            files.stage("server.key", bytes("key"), AtomicFiles.PRIVATE, null);
            files.commit();
        }

        assertThat(dir.resolve("server.pem")).hasContent("certificate");
        assertThat(dir.resolve("server.key")).hasContent("key");
        assertThat(mode(dir.resolve("server.pem"))).isEqualTo("rw-r--r--");
        assertThat(mode(dir.resolve("server.key"))).isEqualTo("rw-------");
        assertThat(names(dir)).containsExactlyInAnyOrder("server.pem", "server.key");
    }

    @Test
    void closedWithoutCommit_leavesEveryTargetAsItWas() throws Exception {
        Files.writeString(dir.resolve("server.pem"), "old");

        try (AtomicFiles files = new AtomicFiles(dir)) {
            files.stage("server.pem", bytes("certificate"), AtomicFiles.PUBLIC, null);
            files.stage("server.key", bytes("key"), AtomicFiles.PRIVATE, null);
        }

        assertThat(dir.resolve("server.pem")).hasContent("old");
        assertThat(names(dir)).containsExactly("server.pem");
    }

    @Test
    void ownerGiven_becomesTheTargetsOwner_root() throws Exception {
        UserPrincipal nobody = otherUserAsRoot();

        try (AtomicFiles files = new AtomicFiles(dir)) {
            files.stage("server.key", bytes("key"), AtomicFiles.PRIVATE, nobody);
            files.commit();
        }

        assertThat(Files.getOwner(dir.resolve("server.key"))).isEqualTo(nobody);
        assertThat(mode(dir.resolve("server.key"))).isEqualTo("rw-------");
    }

    @Test
    void noOwnerGiven_theReplacedFilesOwnerStays_root() throws Exception {
        UserPrincipal nobody = otherUserAsRoot();
        Files.setOwner(Files.writeString(dir.resolve("server.key"), "old"), nobody);

        try (AtomicFiles files = new AtomicFiles(dir)) {
            files.stage("server.key", bytes("key"), AtomicFiles.PRIVATE, null);
            files.commit();
        }

        assertThat(dir.resolve("server.key")).hasContent("key");
        assertThat(Files.getOwner(dir.resolve("server.key"))).isEqualTo(nobody);
    }

    /** Giving a file away needs root: these tests run where the suite runs as root (.ci/run), else are skipped. */
    private UserPrincipal otherUserAsRoot() throws Exception {
        assumeTrue(Files.getOwner(dir).getName().equals("root"), "only root may give a file to another user");
        return dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static String mode(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    private static Path only(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> all = files.toList();
            assertThat(all).hasSize(1);
            return all.get(0);
        }
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(file -> file.getFileName().toString()).toList();
        }
    }
}
