package dev.plexgate.control.files;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;

/**
 * Replaces a file's content so that a reader (the service's file watch, a crash, a full disk) sees
 * either the old file or the new one, never half of it: a temporary file in the same directory,
 * flushed to disk, renamed over the original.
 */
public final class AtomicFile {

    private AtomicFile() {
    }

    /** Writes {@code content} to {@code target}, keeping the original's permissions and, where allowed, owner. */
    public static void replace(Path target, byte[] content) throws IOException {
        // A symbolic link stays one: the file it points to is replaced, not the link.
        Path file = target.toRealPath();
        Path directory = file.getParent();
        Path temporary = Files.createTempFile(directory, "." + file.getFileName() + ".", ".tmp");
        try {
            Durable.write(temporary, content);
            copyOwnershipAndMode(file, temporary);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
        Durable.syncDirectory(directory);
    }

    private static void copyOwnershipAndMode(Path from, Path to) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(to, PosixFileAttributeView.class);
        if (view == null) {
            return;
        }
        PosixFileAttributes original = Files.readAttributes(from, PosixFileAttributes.class);
        try {
            // Only root may give a file away; an owner editing their own file changes nothing here.
            view.setOwner(original.owner());
            view.setGroup(original.group());
        } catch (FileSystemException notPermitted) {
            // The new file keeps the editor's user and group; the mode below still applies.
        }
        view.setPermissions(original.permissions());
    }
}
