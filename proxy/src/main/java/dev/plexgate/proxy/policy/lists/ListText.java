package dev.plexgate.proxy.policy.lists;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** Reading list files: strict UTF-8, any line ending, an editor's byte-order mark tolerated. */
final class ListText {

    private ListText() {
    }

    static String read(Path file) throws ListException {
        try {
            // Strict decoding: a Latin-1 file would otherwise turn into patterns nobody wrote.
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (NoSuchFileException e) {
            throw new ListException(List.of(new ListProblem(file, 0, 0, "no such file")));
        } catch (CharacterCodingException e) {
            throw new ListException(List.of(new ListProblem(file, 0, 0, "not UTF-8 text")));
        } catch (IOException e) {
            throw new ListException(List.of(new ListProblem(file, 0, 0, "cannot be read: " + e)));
        }
    }

    /** The lines of {@code text} without their terminators; line {@code n} is at index {@code n - 1}. */
    static String[] lines(String text) {
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        return body.split("\r\n|\r|\n", -1);
    }

    static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }
}
