package dev.plexgate.control.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** plexgate's version, for {@code --version} and the startup line. */
public final class PlexgateVersion {

    private PlexgateVersion() {
    }

    /**
     * From the jar's manifest when running from {@code plexgate.jar}; otherwise (tests, an IDE)
     * from a resource that Maven fills in at build time.
     */
    public static String get() {
        String fromManifest = PlexgateVersion.class.getPackage().getImplementationVersion();
        return fromManifest != null ? fromManifest : fromResource();
    }

    private static String fromResource() {
        try (InputStream in = PlexgateVersion.class.getResourceAsStream("plexgate-version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException("reading plexgate-version.properties", e);
        }
    }
}
