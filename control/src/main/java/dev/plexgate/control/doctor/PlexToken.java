package dev.plexgate.control.doctor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The token doctor asks Plex's preferences with. A secret: it goes into the {@code X-Plex-Token}
 * header and nowhere else; {@link #toString()} says only where it came from.
 */
final class PlexToken {

    private static final Pattern ONLINE_TOKEN = Pattern.compile("\\bPlexOnlineToken=\"([^\"]+)\"");

    private final String value;
    private final String source;

    private PlexToken(String value, String source) {
        this.value = value;
        this.source = source;
    }

    /**
     * From the file given on the command line.
     *
     * @throws IOException when it cannot be read or is empty; the message never holds its content
     */
    static PlexToken fromFile(Path file) throws IOException {
        String text = Files.readString(file).strip();
        if (text.isEmpty()) {
            throw new IOException("it is empty");
        }
        return new PlexToken(text, file.toString());
    }

    /** From the first readable {@code Preferences.xml} with a {@code PlexOnlineToken}; null when there is none. */
    static PlexToken fromPreferences(List<Path> candidates) {
        for (Path file : candidates) {
            try {
                Matcher token = ONLINE_TOKEN.matcher(Files.readString(file));
                if (token.find()) {
                    return new PlexToken(token.group(1), file.toString());
                }
            } catch (IOException e) {
                // Absent, or only Plex's own user may read it: try the next place.
            }
        }
        return null;
    }

    String value() {
        return value;
    }

    /** Where the token was read, for messages. */
    String source() {
        return source;
    }

    @Override
    public String toString() {
        return "PlexToken[from " + source + ", value redacted]";
    }
}
