package dev.plexgate.proxy.http;

import dev.plexgate.proxy.http1.FieldLines;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.util.AsciiString;
import java.util.List;

/**
 * Removes the fields that describe one connection and not the message (RFC 9110 section 7.6.1):
 * the fixed hop-by-hop set and every name the {@code Connection} header lists. The fields are
 * walked once and dropped where they lie; a name is compared only with the hop-by-hop names of
 * its length, because most messages carry none of them.
 */
final class HopByHopHeaders {

    private static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");
    private static final AsciiString CF_PREFIX = AsciiString.cached("cf-");
    private static final AsciiString X_FORWARDED_PREFIX = AsciiString.cached("x-forwarded-");
    private static final AsciiString X_REAL_IP = AsciiString.cached("x-real-ip");

    private HopByHopHeaders() {
    }

    /**
     * @param keepUpgrade      keep {@code Upgrade} and {@code Connection: upgrade} (a websocket handshake)
     * @param dropClaimHeaders drop what only a trusted proxy may assert: {@code CF-*},
     *                         {@code X-Forwarded-*}, {@code X-Real-IP}
     */
    static void strip(FieldLines fields, boolean keepUpgrade, boolean dropClaimHeaders) {
        List<String> connectionOptions = fields.connectionOptions();
        for (int i = 0; i < fields.count(); i++) {
            if (isHopByHop(fields, i, keepUpgrade) || (dropClaimHeaders && isClaim(fields, i))
                    || (!connectionOptions.isEmpty() && listedIn(connectionOptions, fields.name(i))
                        && !(keepUpgrade && fields.nameIs(i, HttpHeaderNames.UPGRADE)))) {
                fields.drop(i);
            }
        }
        if (keepUpgrade) {
            fields.append(HttpHeaderNames.CONNECTION, HttpHeaderNames.UPGRADE);
        }
    }

    private static boolean isHopByHop(FieldLines fields, int i, boolean keepUpgrade) {
        switch (fields.nameLength(i)) {
            case 2:
                return fields.nameIs(i, HttpHeaderNames.TE);
            case 7:
                return !keepUpgrade && fields.nameIs(i, HttpHeaderNames.UPGRADE);
            case 10:
                return fields.nameIs(i, HttpHeaderNames.CONNECTION) || fields.nameIs(i, HttpHeaderNames.KEEP_ALIVE);
            case 16:
                return fields.nameIs(i, PROXY_CONNECTION);
            case 17:
                return fields.nameIs(i, HttpHeaderNames.TRANSFER_ENCODING);
            case 18:
                return fields.nameIs(i, HttpHeaderNames.PROXY_AUTHENTICATE);
            case 19:
                return fields.nameIs(i, HttpHeaderNames.PROXY_AUTHORIZATION);
            default:
                return false;
        }
    }

    private static boolean isClaim(FieldLines fields, int i) {
        return fields.nameStartsWith(i, CF_PREFIX) || fields.nameStartsWith(i, X_FORWARDED_PREFIX)
                || fields.nameIs(i, X_REAL_IP);
    }

    /** Indexed: an iterator per field of every message is garbage on the hottest path. */
    private static boolean listedIn(List<String> connectionOptions, CharSequence name) {
        for (int i = 0; i < connectionOptions.size(); i++) {
            if (AsciiString.contentEqualsIgnoreCase(connectionOptions.get(i), name)) {
                return true;
            }
        }
        return false;
    }
}
