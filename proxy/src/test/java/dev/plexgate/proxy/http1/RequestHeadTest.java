package dev.plexgate.proxy.http1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The request grammar, what the proxy reads from a head, and the bytes that go on to Plex. */
class RequestHeadTest {

    private static final String PLEX_REQUEST = "GET /library/sections?X-Plex-Token=abc HTTP/1.1\r\n"
            + "Host: plex.example.com\r\nUser-Agent: PlexMediaPlayer/2.58\r\nAccept: application/xml\r\n"
            + "Cookie: a=1\r\nCF-Connecting-IP: 203.0.113.7\r\nX-Forwarded-For: 203.0.113.7\r\n"
            + "Cookie: b=2\r\n";

    @Test
    void requestLine_andFields_areRead() throws Exception {
        RequestHead head = parse(PLEX_REQUEST);

        assertThat(head.method()).isSameAs(HttpMethod.GET);
        assertThat(head.uri()).isEqualTo("/library/sections?X-Plex-Token=abc");
        assertThat(head.majorVersion()).isEqualTo(1);
        assertThat(head.minorVersion()).isEqualTo(1);
        assertThat(head.http10()).isFalse();
        FieldLines fields = head.fields();
        assertThat(fields.count()).isEqualTo(7);
        assertThat(fields.value(HttpHeaderNames.USER_AGENT)).isEqualTo("PlexMediaPlayer/2.58");
        assertThat(fields.value(AsciiString.cached("cf-connecting-ip"))).isEqualTo("203.0.113.7");
        assertThat(fields.values(HttpHeaderNames.COOKIE)).containsExactly("a=1", "b=2");
        assertThat(fields.values(HttpHeaderNames.REFERER)).isEmpty();
        assertThat(fields.value(HttpHeaderNames.REFERER)).isNull();
        assertThat(fields.joined(HttpHeaderNames.COOKIE, "; ")).isEqualTo("a=1; b=2");
        assertThat(fields.joined(HttpHeaderNames.USER_AGENT, ", ")).isEqualTo("PlexMediaPlayer/2.58");
        assertThat(fields.joined(HttpHeaderNames.REFERER, ", ")).isEmpty();
        assertThat(fields.indexOf(HttpHeaderNames.COOKIE, 4)).isEqualTo(6);
        assertThat(fields.nameStartsWith(4, AsciiString.cached("cf-"))).isTrue();
        assertThat(fields.nameStartsWith(5, AsciiString.cached("cf-"))).isFalse();
        assertThat(fields.valueView(0).toString()).isEqualTo("plex.example.com");
    }

    @Test
    void untouchedHead_goesOnByteForByte_andEditsKeepTheOrderOfTheRest() throws Exception {
        RequestHead head = parse(PLEX_REQUEST);
        assertThat(encode(head)).isEqualTo(PLEX_REQUEST + "\r\n");

        head.fields().dropAll(HttpHeaderNames.COOKIE);
        head.fields().dropAll(AsciiString.cached("x-forwarded-for"));
        head.fields().append(AsciiString.cached("x-forwarded-for"), AsciiString.cached("203.0.113.7"));
        assertThat(encode(head)).isEqualTo("GET /library/sections?X-Plex-Token=abc HTTP/1.1\r\n"
                + "Host: plex.example.com\r\nUser-Agent: PlexMediaPlayer/2.58\r\nAccept: application/xml\r\n"
                + "CF-Connecting-IP: 203.0.113.7\r\nx-forwarded-for: 203.0.113.7\r\n\r\n");
        assertThat(head.fields().values(HttpHeaderNames.COOKIE)).as("dropped fields can still be read").hasSize(2);
    }

    @Test
    void http10Request_goesOnAsHttp11_inCanonicalForm() throws Exception {
        RequestHead head = parse("HEAD /identity HTTP/1.0\r\nAccept:*/*\r\nX-Padded: \t v \t\r\n");

        assertThat(head.method()).isSameAs(HttpMethod.HEAD);
        assertThat(head.http10()).isTrue();
        assertThat(encode(head)).isEqualTo("HEAD /identity HTTP/1.1\r\nAccept: */*\r\nX-Padded: v\r\n\r\n");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            GET     | GET
            HEAD    | HEAD
            POST    | POST
            PUT     | PUT
            DELETE  | DELETE
            OPTIONS | OPTIONS
            PATCH   | PATCH
            PROPFIND | PROPFIND
            """)
    void method_isNettysConstantWhereThereIsOne(String sent, String expected) throws Exception {
        RequestHead head = parse(sent + " / HTTP/1.1\r\n");
        assertThat(head.method()).isEqualTo(HttpMethod.valueOf(expected));
        assertThat(head.uri()).isEqualTo("/");
    }

    /** The version/Connection matrix is ResponseHeadTest's; here, that a request's version feeds it. */
    @Test
    void keepAlive_readsTheRequestsVersion() throws Exception {
        assertThat(parse("GET / HTTP/1.1\r\n").keepAlive()).isTrue();
        assertThat(parse("GET / HTTP/1.0\r\n").keepAlive()).isFalse();
        assertThat(parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n").keepAlive()).isTrue();
        assertThat(parse("GET / HTTP/1.1\r\nConnection: keep-alive, close\r\n").keepAlive()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            none                      | GET / HTTP/1.1\\r\\n                                             | false | false | false
            Content-Length 0          | POST / HTTP/1.1\\r\\nContent-Length: 0\\r\\n                     | false | false | false
            Content-Length 5          | POST / HTTP/1.1\\r\\nContent-Length: 5\\r\\n                     | true  | false | false
            chunked                   | POST / HTTP/1.1\\r\\nTransfer-Encoding: gzip, chunked\\r\\n      | true  | false | false
            100-continue              | PUT / HTTP/1.1\\r\\nExpect: 100-Continue\\r\\nContent-Length: 9\\r\\n | true | true | false
            100-continue in HTTP/1.0  | PUT / HTTP/1.0\\r\\nExpect: 100-continue\\r\\nContent-Length: 9\\r\\n | true | false | false
            websocket                 | GET / HTTP/1.1\\r\\nConnection: keep-alive, Upgrade\\r\\nUpgrade: WebSocket\\r\\n | false | false | true
            upgrade without Connection | GET / HTTP/1.1\\r\\nUpgrade: websocket\\r\\n                    | false | false | false
            Connection without websocket | GET / HTTP/1.1\\r\\nConnection: upgrade\\r\\nUpgrade: h2c\\r\\n | false | false | false
            """)
    void bodyContinueAndUpgrade_areRead(String name, String escaped, boolean body, boolean expectsContinue,
            boolean websocket) throws Exception {
        RequestHead head = parse(escaped.replace("\\r", "\r").replace("\\n", "\n"));
        assertThat(head.hasBody()).as("body").isEqualTo(body);
        assertThat(head.expectsContinue()).as("100-continue").isEqualTo(expectsContinue);
        assertThat(head.websocketUpgrade()).as("websocket").isEqualTo(websocket);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            lower-case version          | GET / http/1.1\\r\\n
            no version                  | GET /\\r\\n
            two spaces                  | GET  / HTTP/1.1\\r\\n
            no target                   | GET HTTP/1.1\\r\\n
            separator in method         | G(T / HTTP/1.1\\r\\n
            control in target           | GET /a\\u0001b HTTP/1.1\\r\\n
            non-ASCII in target         | GET /caf\\u00e9 HTTP/1.1\\r\\n
            DEL in target               | GET /a\\u007fb HTTP/1.1\\r\\n
            text after version          | GET / HTTP/1.1 x\\r\\n
            three-digit version         | GET / HTTP/1.10\\r\\n
            bare LF after request line  | GET / HTTP/1.1\\n
            bare LF after a field       | GET / HTTP/1.1\\r\\nX-A: 1\\n
            space before colon          | GET / HTTP/1.1\\r\\nX-A : 1\\r\\n
            obs-fold                    | GET / HTTP/1.1\\r\\nX-A: 1\\r\\n folded\\r\\n
            no colon                    | GET / HTTP/1.1\\r\\nNo colon here\\r\\n
            control in value            | GET / HTTP/1.1\\r\\nX-A: a\\u0001b\\r\\n
            two Content-Lengths         | POST / HTTP/1.1\\r\\nContent-Length: 2\\r\\nContent-Length: 2\\r\\n
            Content-Length with TE      | POST / HTTP/1.1\\r\\nContent-Length: 2\\r\\nTransfer-Encoding: chunked\\r\\n
            TE without chunked last     | POST / HTTP/1.1\\r\\nTransfer-Encoding: chunked, gzip\\r\\n
            TE in HTTP/1.0              | POST / HTTP/1.0\\r\\nTransfer-Encoding: chunked\\r\\n
            """)
    void malformedHead_isRefused(String name, String escaped) {
        String raw = escaped.replace("\\r", "\r").replace("\\n", "\n").replace("\\u0001", "\u0001")
                .replace("\\u00e9", "\u00e9").replace("\\u007f", "\u007f");
        assertThatThrownBy(() -> parse(raw)).isInstanceOf(MalformedMessageException.class)
                .satisfies(e -> assertThat(e.getMessage()).isNotBlank());
    }

    @Test
    void otherVersions_parse_forTheValidatorToRefuse() throws Exception {
        RequestHead head = parse("GET / HTTP/2.0\r\n");
        assertThat(head.majorVersion()).isEqualTo(2);
        assertThat(head.minorVersion()).isZero();
    }

    private static RequestHead parse(String head) throws MalformedMessageException {
        return RequestHead.parse(head.getBytes(StandardCharsets.ISO_8859_1), 2); // a small guess: the table grows
    }

    private static String encode(RequestHead head) {
        byte[] out = new byte[head.encodedLength()];
        return new String(out, 0, head.encode(out), StandardCharsets.ISO_8859_1);
    }
}
