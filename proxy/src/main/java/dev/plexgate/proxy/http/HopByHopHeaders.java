package dev.plexgate.proxy.http;

import dev.plexgate.proxy.upstream.ResponseHead;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Removes the headers that describe one connection and not the message (RFC 9110 section 7.6.1):
 * the fixed hop-by-hop set and every name the {@code Connection} header lists. The headers are
 * walked once and only the names present are removed, because each removal re-hashes its name
 * and most requests from cloudflared carry none of them.
 */
final class HopByHopHeaders {

    private static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");

    private HopByHopHeaders() {
    }

    /**
     * @param keepUpgrade      keep {@code Upgrade} and {@code Connection: upgrade} (a websocket handshake)
     * @param dropClaimHeaders drop what only a trusted proxy may assert: {@code CF-*},
     *                         {@code X-Forwarded-*}, {@code X-Real-IP}
     */
    static void strip(HttpHeaders headers, boolean keepUpgrade, boolean dropClaimHeaders) {
        List<String> connectionOptions = connectionOptions(headers);
        List<CharSequence> doomed = null;
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
            CharSequence name = it.next().getKey();
            if (isHopByHop(name, keepUpgrade) || (dropClaimHeaders && isClaim(name))
                    || (listedIn(connectionOptions, name)
                        && !(keepUpgrade && AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.UPGRADE)))) {
                if (doomed == null) {
                    doomed = new ArrayList<>(4);
                }
                doomed.add(name);
            }
        }
        if (doomed != null) {
            for (CharSequence name : doomed) {
                headers.remove(name);
            }
        }
        if (keepUpgrade) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderNames.UPGRADE);
        }
    }

    /** The same for a response head from Plex, whose fields are dropped where they lie. */
    static void strip(ResponseHead head, boolean keepUpgrade) {
        List<String> connectionOptions = head.connectionOptions();
        for (int i = 0; i < head.fieldCount(); i++) {
            if (isHopByHop(head.nameLength(i), head, i, ResponseHead::nameIs, keepUpgrade)
                    || (!connectionOptions.isEmpty() && listedIn(connectionOptions, head.name(i))
                        && !(keepUpgrade && head.nameIs(i, HttpHeaderNames.UPGRADE)))) {
                head.drop(i);
            }
        }
        if (keepUpgrade) {
            head.append(HttpHeaderNames.CONNECTION, HttpHeaderNames.UPGRADE);
        }
    }

    private static boolean isHopByHop(CharSequence name, boolean keepUpgrade) {
        return isHopByHop(name.length(), name, 0, HopByHopHeaders::nameIs, keepUpgrade);
    }

    private static boolean nameIs(CharSequence name, int unused, AsciiString lowerCaseName) {
        return AsciiString.contentEqualsIgnoreCase(name, lowerCaseName);
    }

    /** Tells whether a header name (of a map, or a head's field {@code index}) is a given lower-case one. */
    @FunctionalInterface
    private interface NameTest<T> {
        boolean is(T holder, int index, AsciiString lowerCaseName);
    }

    /**
     * Whether a name of {@code length} is one of the fixed hop-by-hop names. A header map's name
     * and a response head's field are compared differently; the test takes what it compares as
     * arguments, so that no lambda is allocated per field.
     */
    private static <T> boolean isHopByHop(int length, T holder, int index, NameTest<T> is, boolean keepUpgrade) {
        switch (length) {
            case 2:
                return is.is(holder, index, HttpHeaderNames.TE);
            case 7:
                return !keepUpgrade && is.is(holder, index, HttpHeaderNames.UPGRADE);
            case 10:
                return is.is(holder, index, HttpHeaderNames.CONNECTION)
                        || is.is(holder, index, HttpHeaderNames.KEEP_ALIVE);
            case 16:
                return is.is(holder, index, PROXY_CONNECTION);
            case 17:
                return is.is(holder, index, HttpHeaderNames.TRANSFER_ENCODING);
            case 18:
                return is.is(holder, index, HttpHeaderNames.PROXY_AUTHENTICATE);
            case 19:
                return is.is(holder, index, HttpHeaderNames.PROXY_AUTHORIZATION);
            default:
                return false;
        }
    }

    private static boolean isClaim(CharSequence name) {
        return startsWithIgnoreCase(name, "cf-") || startsWithIgnoreCase(name, "x-forwarded-")
                || AsciiString.contentEqualsIgnoreCase(name, "x-real-ip");
    }

    /**
     * The names the {@code Connection} header lines list, split and trimmed: once per message
     * rather than once per header, and the same reading {@link RequestValidator} judges.
     */
    static List<String> connectionOptions(HttpHeaders headers) {
        if (!headers.contains(HttpHeaderNames.CONNECTION)) {
            return List.of();
        }
        List<String> options = new ArrayList<>(2);
        for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
            for (String option : value.split(",")) {
                String trimmed = option.trim();
                if (!trimmed.isEmpty()) {
                    options.add(trimmed);
                }
            }
        }
        return options;
    }

    /** Indexed: an iterator per header of every message is garbage on the hottest path. */
    private static boolean listedIn(List<String> connectionOptions, CharSequence name) {
        for (int i = 0; i < connectionOptions.size(); i++) {
            if (AsciiString.contentEqualsIgnoreCase(connectionOptions.get(i), name)) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsWithIgnoreCase(CharSequence name, String prefix) {
        return name.length() >= prefix.length()
                && AsciiString.regionMatches(name, true, 0, prefix, 0, prefix.length());
    }
}
