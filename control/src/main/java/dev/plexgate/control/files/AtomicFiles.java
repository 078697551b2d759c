package dev.plexgate.control.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Files of one directory replaced together: each is first staged in a temporary file beside its
 * target, created {@code 0600} so that a key is never readable by others, not even for a moment,
 * and flushed to disk; only when every one is staged are they renamed over their targets. A
 * failure while staging leaves every target as it was; a reader never sees half a file.
 */
public final class AtomicFiles implements AutoCloseable {

    public static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");
    public static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");

    private final Path directory;
    /** Target to its staged temporary file, in staging order. */
    private final Map<Path, Path> staged = new LinkedHashMap<>();

    public AtomicFiles(Path directory) {
        this.directory = directory;
    }

    /**
     * Stages {@code content} for the file {@code name} of the directory.
     *
     * @param mode  the target's permissions once in place
     * @param owner the target's owner, or null to keep the owner of the file it replaces (the
     *              current user's when there is none)
     */
    public void stage(String name, byte[] content, Set<PosixFilePermission> mode, UserPrincipal owner) throws IOException {
        Path target = directory.resolve(name);
        Path temporary = Files.createTempFile(directory, "." + name + ".", ".tmp",
                PosixFilePermissions.asFileAttribute(PRIVATE));
        staged.put(target, temporary);
        Durable.write(temporary, content);
        UserPrincipal wanted = owner != null || !Files.exists(target, LinkOption.NOFOLLOW_LINKS)
                ? owner : Files.getOwner(target, LinkOption.NOFOLLOW_LINKS);
        // Changing to another owner needs root; leaving our own alone works for everyone.
        if (wanted != null && !wanted.equals(Files.getOwner(temporary))) {
            Files.setOwner(temporary, wanted);
        }
        Files.setPosixFilePermissions(temporary, mode);
    }

    /** Renames every staged file over its target, then makes the renames durable. */
    public void commit() throws IOException {
        for (Map.Entry<Path, Path> file : List.copyOf(staged.entrySet())) {
            Files.move(file.getValue(), file.getKey(), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            staged.remove(file.getKey());
        }
        Durable.syncDirectory(directory);
    }

    /** Removes whatever is still staged: after a failure, nothing is left behind. */
    @Override
    public void close() throws IOException {
        for (Path temporary : staged.values()) {
            Files.deleteIfExists(temporary);
        }
        staged.clear();
    }
}
