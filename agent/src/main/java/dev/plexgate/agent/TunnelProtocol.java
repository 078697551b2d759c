package dev.plexgate.agent;

import java.util.Locale;

/** cloudflared's {@code --protocol}: how it reaches the edge. */
public enum TunnelProtocol {
    /** cloudflared chooses (QUIC, falling back to HTTP/2); the flag is left out. */
    AUTO,
    /** UDP 7844 only. */
    QUIC,
    /** TCP 7844, for networks that drop UDP. */
    HTTP2;

    /** As cloudflared and plexgate.yml spell it. */
    public String flagValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
