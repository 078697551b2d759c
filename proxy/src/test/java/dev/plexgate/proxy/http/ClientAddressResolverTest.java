package dev.plexgate.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plexgate.proxy.http1.FieldLines;
import dev.plexgate.proxy.http1.MalformedMessageException;
import dev.plexgate.proxy.http1.RequestHead;
import dev.plexgate.proxy.policy.Cidr;
import dev.plexgate.proxy.policy.IpLiterals;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

final class ClientAddressResolverTest {

    private final ClientAddressResolver cloudflared = new ClientAddressResolver(
            List.of(Cidr.parse("127.0.0.1/32"), Cidr.parse("::1/128")), "CF-Connecting-IP");
    private final ClientAddressResolver forwarded = new ClientAddressResolver(
            List.of(Cidr.parse("100.64.0.0/10")), "X-Forwarded-For");

    @Test
    void trustedPeer_cfConnectingIp_isTheClient() {
        ClientAddress client = cloudflared.resolve(IpLiterals.parse("127.0.0.1"), headers(
                "CF-Connecting-IP", "203.0.113.7", "CF-IPCountry", "NZ", "CF-Visitor", "{\"scheme\":\"https\"}"));
        assertThat(client).isEqualTo(new ClientAddress(IpLiterals.parse("203.0.113.7"), true, "NZ", true));
    }

    @Test
    void trustedIpv6Loopback_ipv4MappedHeader_isNormalised() {
        ClientAddress client = cloudflared.resolve(IpLiterals.parse("::1"), headers(
                "CF-Connecting-IP", "::ffff:198.51.100.9"));
        assertThat(client.address()).isEqualTo(IpLiterals.parse("198.51.100.9"));
    }

    @Test
    void untrustedPeer_headersAreIgnored() {
        ClientAddress client = cloudflared.resolve(IpLiterals.parse("127.0.0.2"), headers(
                "CF-Connecting-IP", "203.0.113.7", "CF-IPCountry", "NZ", "X-Forwarded-Proto", "https"));
        assertThat(client).isEqualTo(new ClientAddress(IpLiterals.parse("127.0.0.2"), false, "", false));
    }

    @Test
    void trustedPeer_withoutValidHeader_isJudgedAsItself() {
        assertThat(cloudflared.resolve(IpLiterals.parse("127.0.0.1"), headers()).address())
                .isEqualTo(IpLiterals.parse("127.0.0.1"));
        assertThat(cloudflared.resolve(IpLiterals.parse("127.0.0.1"), headers("CF-Connecting-IP", "nope")).address())
                .isEqualTo(IpLiterals.parse("127.0.0.1"));
        assertThat(cloudflared.resolve(IpLiterals.parse("127.0.0.1"),
                headers("CF-Connecting-IP", "203.0.113.7", "CF-Connecting-IP", "198.51.100.9")).address())
                .as("two values name nobody")
                .isEqualTo(IpLiterals.parse("127.0.0.1"));
    }

    @Test
    void defaultHeader_xForwardedForAlone_neverNamesTheClient() {
        ClientAddress client = cloudflared.resolve(IpLiterals.parse("127.0.0.1"), headers(
                "X-Forwarded-For", "203.0.113.7"));
        assertThat(client.address()).isEqualTo(IpLiterals.parse("127.0.0.1"));
    }

    @Test
    void xForwardedForMode_takesTheLastHopOfTheLastLine() {
        ClientAddress client = forwarded.resolve(IpLiterals.parse("100.64.1.2"), headers(
                "X-Forwarded-For", "10.0.0.1, 1.1.1.1", "X-Forwarded-For", "6.6.6.6,  203.0.113.7 "));
        assertThat(client.address()).isEqualTo(IpLiterals.parse("203.0.113.7"));
    }

    @Test
    void country_mustLookLikeCloudflares() {
        assertThat(cloudflared.resolve(IpLiterals.parse("127.0.0.1"), headers("CF-IPCountry", "T1")).country())
                .isEqualTo("T1");
        assertThat(cloudflared.resolve(IpLiterals.parse("127.0.0.1"), headers("CF-IPCountry", "nz")).country())
                .isEmpty();
        assertThat(cloudflared.resolve(IpLiterals.parse("127.0.0.1"), headers("CF-IPCountry", "NZL")).country())
                .isEmpty();
    }

    /** The fields of a request head with these lines, as the decoder hands them over. */
    private static FieldLines headers(String... nameValues) {
        StringBuilder head = new StringBuilder("GET / HTTP/1.1\r\n");
        for (int i = 0; i < nameValues.length; i += 2) {
            head.append(nameValues[i]).append(": ").append(nameValues[i + 1]).append("\r\n");
        }
        try {
            byte[] bytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
            return RequestHead.parse(bytes, nameValues.length / 2 + 1).fields();
        } catch (MalformedMessageException e) {
            throw new AssertionError(e);
        }
    }
}
