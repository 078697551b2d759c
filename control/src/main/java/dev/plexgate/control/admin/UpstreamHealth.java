package dev.plexgate.control.admin;

import java.time.Instant;

/**
 * The last answer of Plex's {@code /identity}.
 *
 * @param reachable   whether it answered 200
 * @param checked     when; null before the first probe
 * @param plexVersion the {@code version} attribute of its {@code MediaContainer}; null when unknown
 * @param machineId   the {@code machineIdentifier} attribute; null when unknown
 * @param problem     why it is not reachable; null when it is
 */
public record UpstreamHealth(boolean reachable, Instant checked, String plexVersion, String machineId,
        String problem) {

    static final UpstreamHealth NOT_PROBED = new UpstreamHealth(false, null, null, null, "not probed yet");
}
