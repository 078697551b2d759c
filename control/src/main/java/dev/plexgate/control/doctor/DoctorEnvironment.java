package dev.plexgate.control.doctor;

import dev.plexgate.proxy.policy.lists.HostRefresh;
import dev.plexgate.proxy.policy.lists.HostResolver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What the checks read from the machine, so tests can stand in for it.
 *
 * @param preferencesFiles where Plex's {@code Preferences.xml} may be, in order; the first readable one gives
 *                         the Plex token when none is given
 * @param procNetTcp       the kernel's tables of TCP sockets, read for who listens on Plex's port
 * @param resolver         resolves the allow-list's host names
 * @param resolveWait      how long to wait for them
 * @param timeout          for each HTTP request and for {@code cloudflared --version}
 */
public record DoctorEnvironment(List<Path> preferencesFiles, List<Path> procNetTcp, HostResolver resolver,
        Duration resolveWait, Duration timeout) {

    private static final String PLEX_SUPPORT = "Library/Application Support/Plex Media Server/Preferences.xml";

    public DoctorEnvironment {
        preferencesFiles = List.copyOf(preferencesFiles);
        procNetTcp = List.copyOf(procNetTcp);
        Objects.requireNonNull(resolver, "resolver");
        Objects.requireNonNull(resolveWait, "resolveWait");
        Objects.requireNonNull(timeout, "timeout");
    }

    /** This machine: the Debian package's and the official container's Plex, the system resolver. */
    public static DoctorEnvironment system() {
        return new DoctorEnvironment(
                List.of(Path.of("/var/lib/plexmediaserver").resolve(PLEX_SUPPORT), Path.of("/config").resolve(PLEX_SUPPORT)),
                List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6")),
                HostResolver.system(), HostRefresh.DEFAULT_INITIAL_WAIT, Duration.ofSeconds(5));
    }
}
