package dev.plexgate.proxy.upstream;

import java.io.IOException;

/** Why an {@link UpstreamGet} got no answer, in words fit for a log line or a {@code doctor} finding. */
public final class UpstreamGetException extends IOException {

    private static final long serialVersionUID = 1L;

    private final boolean tlsFailure;

    UpstreamGetException(String reason, boolean tlsFailure, Throwable cause) {
        super(reason, cause);
        this.tlsFailure = tlsFailure;
    }

    /** Whether the TLS handshake failed: Plex's certificate or {@code upstream_tls} is what to look at. */
    public boolean tlsFailure() {
        return tlsFailure;
    }
}
