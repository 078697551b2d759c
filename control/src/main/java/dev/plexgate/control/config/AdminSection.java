package dev.plexgate.control.config;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * Binds the {@code admin} section. Its listener can reload the config and shows the service's
 * state, so it stays on loopback unless {@code allow_remote} says otherwise.
 */
final class AdminSection {

    static final List<String> KEYS = List.of("listen", "allow_remote");

    private AdminSection() {
    }

    static AdminSettings bind(Section section) {
        AdminSettings d = AdminSettings.DEFAULTS;
        InetSocketAddress listen = section.value("listen", d.listen(), Values::adminAddress);
        boolean allowRemote = section.value("allow_remote", d.allowRemote(), Values::bool);
        if (!listen.getAddress().isLoopbackAddress() && !allowRemote) {
            section.reject("listen", "is not a loopback address: /reload and /status would be reachable from the"
                    + " LAN (expected: a loopback address such as 127.0.0.1:9810, or allow_remote: true to mean it)");
            return d;
        }
        return new AdminSettings(listen, allowRemote);
    }
}
