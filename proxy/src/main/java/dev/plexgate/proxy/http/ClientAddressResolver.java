package dev.plexgate.proxy.http;

import dev.plexgate.proxy.ProxySettings;
import dev.plexgate.proxy.http1.FieldLines;
import dev.plexgate.proxy.policy.Cidr;
import dev.plexgate.proxy.policy.IpLiterals;
import io.netty.util.AsciiString;
import java.net.InetAddress;
import java.util.List;

/**
 * Finds the real client of a request. The TCP peer is the client unless it is a trusted proxy;
 * then the configured header names the client. With {@code CF-Connecting-IP} (the default), a
 * trusted peer that sends no valid value is judged as itself — loopback — so deny-by-default
 * rules block it; {@code X-Forwarded-For} alone never names the client then, because cloudflared
 * appends to whatever the visitor sent, so its left part is forgeable. Immutable, shared by all
 * event loops.
 */
public final class ClientAddressResolver {

    private static final AsciiString CF_IPCOUNTRY = AsciiString.cached("cf-ipcountry");
    private static final AsciiString CF_VISITOR = AsciiString.cached("cf-visitor");
    private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");

    private final List<Cidr> trustedProxies;
    private final boolean lastForwardedHop;
    /** Lower case: the form a head's names are compared with. */
    private final AsciiString clientIpHeader;

    public ClientAddressResolver(List<Cidr> trustedProxies, String clientIpHeader) {
        this.trustedProxies = List.copyOf(trustedProxies);
        this.lastForwardedHop = ProxySettings.X_FORWARDED_FOR.equalsIgnoreCase(clientIpHeader);
        this.clientIpHeader = AsciiString.of(clientIpHeader.toLowerCase(java.util.Locale.ROOT));
    }

    public ClientAddress resolve(InetAddress peer, FieldLines headers) {
        InetAddress normalisedPeer = IpLiterals.normalize(peer);
        if (!isTrusted(normalisedPeer)) {
            return new ClientAddress(normalisedPeer, false, "", false);
        }
        InetAddress claimed = lastForwardedHop ? lastHop(headers) : single(headers, clientIpHeader);
        return new ClientAddress(claimed != null ? claimed : normalisedPeer, true,
                country(headers.value(CF_IPCOUNTRY)), https(headers));
    }

    public boolean isTrusted(InetAddress normalisedPeer) {
        for (Cidr cidr : trustedProxies) {
            if (cidr.contains(normalisedPeer)) {
                return true;
            }
        }
        return false;
    }

    /** Exactly one header line holding one address; anything else names nobody. */
    private static InetAddress single(FieldLines headers, AsciiString name) {
        int first = headers.indexOf(name, 0);
        if (first < 0 || headers.indexOf(name, first + 1) >= 0) {
            return null;
        }
        return IpLiterals.tryParse(headers.value(first).trim());
    }

    /** The address the trusted proxy itself appended: the last element of the last line. */
    private static InetAddress lastHop(FieldLines headers) {
        List<String> values = headers.values(X_FORWARDED_FOR);
        if (values.isEmpty()) {
            return null;
        }
        String last = values.get(values.size() - 1);
        return IpLiterals.tryParse(last.substring(last.lastIndexOf(',') + 1).trim());
    }

    /** ISO 3166 alpha-2 as Cloudflare sends it ({@code XX} unknown, {@code T1} Tor); else empty. */
    private static String country(String value) {
        if (value == null || value.length() != 2) {
            return "";
        }
        char a = value.charAt(0);
        char b = value.charAt(1);
        boolean valid = a >= 'A' && a <= 'Z' && ((b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9'));
        return valid ? value : "";
    }

    private static boolean https(FieldLines headers) {
        String proto = headers.value(X_FORWARDED_PROTO);
        if (proto != null && proto.trim().equalsIgnoreCase("https")) {
            return true;
        }
        String visitor = headers.value(CF_VISITOR);
        return visitor != null && visitor.replace(" ", "").contains("\"scheme\":\"https\"");
    }
}
