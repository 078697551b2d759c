package dev.plexgate.proxy.policy.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plexgate.proxy.policy.IpLiterals;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

final class RequestFactsTest {

    private static RequestFacts.Builder from(String address) {
        return RequestFacts.builder(IpLiterals.parse(address));
    }

    @Test
    void builder_derivesNamedHeaderFieldsFromTheHeaderLines() {
        RequestFacts facts = from("192.0.2.1")
                .header("Host", "Plex.Example.com")
                .header("user-agent", "Plex/1")
                .header("Cookie", "a=1").header("COOKIE", "b=2")
                .header("X-Forwarded-For", "1.1.1.1").header("x-forwarded-for", "2.2.2.2")
                .header("Referer", "https://app.plex.tv/")
                .build();
        assertThat(facts.host()).isEqualTo("Plex.Example.com");
        assertThat(facts.userAgent()).isEqualTo("Plex/1");
        assertThat(facts.cookie()).isEqualTo("a=1; b=2");
        assertThat(facts.xForwardedFor()).isEqualTo("1.1.1.1, 2.2.2.2");
        assertThat(facts.referer()).isEqualTo("https://app.plex.tv/");
        assertThat(facts.headerNames()).containsExactly("Host", "user-agent", "Cookie", "COOKIE", "X-Forwarded-For",
                "x-forwarded-for", "Referer");
        assertThat(facts.headers().get("cookie")).containsExactly("a=1", "b=2");
        assertThat(facts.headerValueLists()).hasSize(5);
    }

    @Test
    void builder_explicitValuesWinOverHeaders() {
        RequestFacts facts = from("192.0.2.1").header("Host", "a").host("b").build();
        assertThat(facts.host()).isEqualTo("b");
    }

    @Test
    void builder_absentFacts_takeTheirDefaults() {
        RequestFacts facts = from("192.0.2.1").build();
        assertThat(List.of(facts.host(), facts.userAgent(), facts.referer(), facts.cookie(), facts.xForwardedFor(),
                facts.country(), facts.query())).containsOnly("");
        assertThat(facts.ssl()).isFalse();
        assertThat(facts.method()).isEqualTo("GET");
        assertThat(facts.uri()).isEqualTo("/");
        assertThat(facts.headers()).isEmpty();
    }

    @Test
    void builder_foldsIpv4MappedAddressesAndUppercasesTheMethod() throws Exception {
        RequestFacts facts = RequestFacts.builder(InetAddress.getByAddress(
                new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, (byte) 203, 0, 113, 7}))
                .method("get").build();
        assertThat(facts.ipSrc()).isEqualTo(IpLiterals.parse("203.0.113.7"));
        assertThat(facts.isIpv4()).isTrue();
        assertThat(facts.ipv4Value()).isEqualTo(0xCB007107L);
        assertThat(facts.method()).isEqualTo("GET");
    }

    @Test
    void uri_splitsAtTheFirstQuestionMark() {
        RequestFacts facts = from("2001:db8::1").uri("/a?b=1?c").ssl(true).host("h").build();
        assertThat(facts.path()).isEqualTo("/a");
        assertThat(facts.query()).isEqualTo("b=1?c");
        assertThat(facts.fullUri()).isEqualTo("https://h/a?b=1?c");
        assertThat(facts.ipv6High()).isEqualTo(0x20010db800000000L);
        assertThat(facts.ipv6Low()).isEqualTo(1L);
    }

    @Test
    void text_beyondLatin1_isTakenAsItsUtf8Bytes_andUtf8BytesConvertsTypedText() {
        assertThat(from("192.0.2.1").userAgent("→").build().userAgent()).isEqualTo("\u00e2\u0086\u0092");
        assertThat(RequestFacts.utf8Bytes("é")).isEqualTo("\u00c3\u00a9");
        assertThat(from("192.0.2.1").userAgent("\u00c3\u00a9").build().userAgent()).isEqualTo("\u00c3\u00a9");
    }
}
