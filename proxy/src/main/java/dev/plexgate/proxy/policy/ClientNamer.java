package dev.plexgate.proxy.policy;

import java.net.InetAddress;

/**
 * Names a client for metrics: the name its allow-list entry gives it. Names come only from the
 * list files, so a label built from them stays bounded whatever addresses connect.
 */
public interface ClientNamer {

    /** Nobody is named: every client is {@code unknown}. */
    ClientNamer NONE = address -> null;

    /** The name of the entry covering {@code address} (normalised), or null. */
    String nameFor(InetAddress address);
}
