package dev.plexgate.proxy.http1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The head grammar, the framing facts read from it, and the bytes written after edits. */
class ResponseHeadTest {

    private static final String PLEX_HEAD = "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\n"
            + "Content-Type: text/xml;charset=utf-8\r\nContent-Length: 1024\r\nConnection: keep-alive\r\n"
            + "ETag: \"6566f1b0-400\"\r\nCache-Control: public, max-age=3600\r\nX-Plex-Protocol: 1.0\r\n";

    @Test
    void untouchedCanonicalHead_isWrittenByteForByte() throws Exception {
        ResponseHead head = parse(PLEX_HEAD);

        assertThat(encode(head)).isEqualTo(PLEX_HEAD + "\r\n");
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.fields().count()).isEqualTo(7);
        assertThat(head.fields().name(1).toString()).isEqualTo("Content-Type");
        assertThat(head.fields().nameLength(1)).isEqualTo("Content-Type".length());
        assertThat(head.fields().nameIs(1, HttpHeaderNames.CONTENT_TYPE)).isTrue();
        assertThat(head.fields().nameIs(1, HttpHeaderNames.CONTENT_LENGTH)).isFalse();
    }

    @Test
    void droppedAndAppendedFields_keepTheOrderOfTheRest() throws Exception {
        ResponseHead head = parse(PLEX_HEAD);
        head.fields().dropAll(HttpHeaderNames.CONNECTION);
        head.fields().dropAll(HttpHeaderNames.CACHE_CONTROL);
        head.fields().append(HttpHeaderNames.CACHE_CONTROL, AsciiString.cached("no-store, private"));
        head.fields().append(AsciiString.cached("cdn-cache-control"), AsciiString.cached("no-store"));

        assertThat(encode(head)).isEqualTo("HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\n"
                + "Content-Type: text/xml;charset=utf-8\r\nContent-Length: 1024\r\n"
                + "ETag: \"6566f1b0-400\"\r\nX-Plex-Protocol: 1.0\r\n"
                + "cache-control: no-store, private\r\ncdn-cache-control: no-store\r\n\r\n");
        assertThat(head.fields().name(3).toString()).as("a dropped field can still be read").isEqualTo("Connection");
        head.fields().drop(3);
        assertThat(head.fields().nameIs(3, HttpHeaderNames.CONNECTION)).as("dropping twice changes nothing").isTrue();
        assertThat(encode(head)).doesNotContain("Connection");
    }

    @Test
    void looseLines_areWrittenInCanonicalForm() throws Exception {
        ResponseHead head = parse("HTTP/1.1 404 Not Found\nServer:nginx\r\nX-Padded:  \t spaced out \t \r\n"
                + "X-Spaced-Name \t: v\nX-Empty:\r\nX-Empty-Too: \r\n");

        assertThat(encode(head)).isEqualTo("HTTP/1.1 404 Not Found\r\nServer: nginx\r\nX-Padded: spaced out\r\n"
                + "X-Spaced-Name: v\r\nX-Empty: \r\nX-Empty-Too: \r\n\r\n");
    }

    @Test
    void http10Client_getsAnHttp10StatusLine_andAnEmptyReasonKeepsItsSpace() throws Exception {
        ResponseHead head = parse("HTTP/1.1 200\r\nContent-Length: 0\r\n");
        assertThat(encode(head)).isEqualTo("HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n");
        head.sendAsHttp10(true);
        assertThat(encode(head)).isEqualTo("HTTP/1.0 200 \r\nContent-Length: 0\r\n\r\n");
    }

    @Test
    void reasonPhraseAndValues_passObsTextThrough() throws Exception {
        String latin1 = "HTTP/1.1 200 D\u00e9j\u00e0 vu\r\nX-Name: caf\u00e9 \u00ff\r\n";
        assertThat(encode(parse(latin1))).isEqualTo(latin1 + "\r\n");
    }

    @Test
    void manyFields_andManyAppended_allGoOut() throws Exception {
        StringBuilder raw = new StringBuilder("HTTP/1.1 200 OK\r\n");
        for (int i = 0; i < 100; i++) {
            raw.append("X-Field-").append(i).append(": ").append(i).append("\r\n");
        }
        ResponseHead head = parse(raw.toString());
        for (int i = 0; i < 20; i++) {
            head.fields().append(AsciiString.of("x-added-" + i), AsciiString.of("v"));
        }
        String written = encode(head);
        assertThat(head.fields().count()).isEqualTo(100);
        assertThat(written).startsWith(raw.toString()).contains("X-Field-99: 99\r\nx-added-0: v\r\n")
                .endsWith("x-added-19: v\r\n\r\n");
    }

    @Test
    void contentLength_isRead() throws Exception {
        assertThat(parse("HTTP/1.1 200 OK\r\ncontent-length: 123456789012\r\n").fields().contentLength()).isEqualTo(123456789012L);
        assertThat(parse("HTTP/1.1 200 OK\r\n").fields().contentLength()).isEqualTo(-1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            chunked                 | true
            gzip, chunked           | true
            GZIP,CHUNKED            | true
            chunked, gzip           | false
            gzip                    | false
            """)
    void transferEncoding_isChunkedOnlyWhenChunkedComesLast(String value, boolean chunked) throws Exception {
        ResponseHead head = parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: " + value + "\r\n");
        assertThat(head.fields().transferEncoded()).isTrue();
        assertThat(head.fields().chunked()).isEqualTo(chunked);
    }

    @ParameterizedTest(name = "{0} Connection: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            HTTP/1.1 |                   | true
            HTTP/1.1 | close             | false
            HTTP/1.1 | Keep-Alive, CLOSE | false
            HTTP/1.0 |                   | false
            HTTP/1.0 | keep-alive        | true
            HTTP/1.0 | close, keep-alive | false
            """)
    void keepAlive_followsVersionAndConnection(String version, String connection, boolean keepAlive)
            throws Exception {
        String field = connection == null ? "" : "Connection: " + connection + "\r\n";
        assertThat(parse(version + " 200 OK\r\n" + field).keepAlive()).isEqualTo(keepAlive);
    }

    @Test
    void connectionOptions_listTheOtherNames() throws Exception {
        ResponseHead head = parse("HTTP/1.1 200 OK\r\nConnection: keep-alive, X-Hop , upgrade\r\n"
                + "Connection: close,,x-other\r\n");
        assertThat(head.fields().connectionOptions()).containsExactly("X-Hop", "x-other");
        assertThat(head.keepAlive()).isFalse();
        assertThat(parse(PLEX_HEAD).fields().connectionOptions()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            HTTP/2 version              | HTTP/2 200 OK\\r\\n
            HTTP/1.2 version            | HTTP/1.2 200 OK\\r\\n
            lower-case version          | http/1.1 200 OK\\r\\n
            two-digit code              | HTTP/1.1 20 OK\\r\\n
            four-digit code             | HTTP/1.1 2000 OK\\r\\n
            code above 599              | HTTP/1.1 600 Odd\\r\\n
            code below 100              | HTTP/1.1 099 Odd\\r\\n
            no code                     | HTTP/1.1\\r\\n
            control in reason           | HTTP/1.1 200 O\\u0001K\\r\\n
            obs-fold                    | HTTP/1.1 200 OK\\r\\nX-A: 1\\r\\n  folded\\r\\n
            no colon                    | HTTP/1.1 200 OK\\r\\nNo colon here\\r\\n
            empty name                  | HTTP/1.1 200 OK\\r\\n: value\\r\\n
            separator in name           | HTTP/1.1 200 OK\\r\\nX(y): v\\r\\n
            NUL in value                | HTTP/1.1 200 OK\\r\\nX-A: a\\u0000b\\r\\n
            bare CR in value            | HTTP/1.1 200 OK\\r\\nX-A: a\\rSet-Cookie: b\\r\\n
            DEL in value                | HTTP/1.1 200 OK\\r\\nX-A: a\\u007fb\\r\\n
            two Content-Lengths         | HTTP/1.1 200 OK\\r\\nContent-Length: 2\\r\\nContent-Length: 2\\r\\n
            Content-Length list         | HTTP/1.1 200 OK\\r\\nContent-Length: 2, 2\\r\\n
            signed Content-Length       | HTTP/1.1 200 OK\\r\\nContent-Length: +2\\r\\n
            empty Content-Length        | HTTP/1.1 200 OK\\r\\nContent-Length:\\r\\n
            huge Content-Length         | HTTP/1.1 200 OK\\r\\nContent-Length: 9999999999999999999\\r\\n
            unterminated line           | HTTP/1.1 200 OK\\r\\nX-A: 1
            """)
    void malformedHead_isRefused(String name, String escaped) {
        String raw = escaped.replace("\\r", "\r").replace("\\n", "\n").replace("\\u0001", "\u0001")
                .replace("\\u0000", "\u0000").replace("\\u007f", "\u007f");
        assertThatThrownBy(() -> parse(raw)).isInstanceOf(MalformedMessageException.class)
                .satisfies(e -> assertThat(e.getMessage()).isNotBlank());
    }

    private static ResponseHead parse(String head) throws MalformedMessageException {
        return ResponseHead.parse(head.getBytes(StandardCharsets.ISO_8859_1), 2); // a small guess: the table grows
    }

    private static String encode(ResponseHead head) {
        byte[] out = new byte[head.encodedLength()];
        return new String(out, 0, head.encode(out), StandardCharsets.ISO_8859_1);
    }
}
