package dev.plexgate.proxy.testing;

import dev.plexgate.proxy.testing.ByteRanges.ByteRange;
import dev.plexgate.proxy.testing.GeneratedBodyInput.Segment;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Direct play: a media part of any size, with single, suffix and multiple byte ranges. */
final class MediaPartEndpoint {

    static final String CONTENT_TYPE = "video/x-matroska";
    static final String MULTIPART_BOUNDARY = "PLEXGATE_TEST_BYTERANGES";

    private MediaPartEndpoint() {
    }

    static void serve(Exchange exchange, long size) {
        // Range only has meaning for GET (RFC 9110 §14.2); HEAD gets the same head GET would.
        List<ByteRange> ranges = ByteRanges.parse(exchange.request().headers().get(HttpHeaderNames.RANGE), size);
        if (ranges == null) {
            HttpResponse head = newHead(exchange, HttpResponseStatus.OK);
            exchange.respondStreaming(head, new GeneratedBodyInput(List.of(Segment.generated(0, size))));
        } else if (ranges.isEmpty()) {
            HttpResponse head = newHead(exchange, HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE);
            head.headers().set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + size);
            head.headers().remove(HttpHeaderNames.CONTENT_TYPE);
            exchange.respond(head, new byte[0]);
        } else if (ranges.size() == 1) {
            ByteRange range = ranges.get(0);
            HttpResponse head = newHead(exchange, HttpResponseStatus.PARTIAL_CONTENT);
            head.headers().set(HttpHeaderNames.CONTENT_RANGE, contentRange(range, size));
            exchange.respondStreaming(head,
                    new GeneratedBodyInput(List.of(Segment.generated(range.first(), range.length()))));
        } else {
            HttpResponse head = newHead(exchange, HttpResponseStatus.PARTIAL_CONTENT);
            head.headers().set(HttpHeaderNames.CONTENT_TYPE, "multipart/byteranges; boundary=" + MULTIPART_BOUNDARY);
            exchange.respondStreaming(head, new GeneratedBodyInput(multipartSegments(ranges, size)));
        }
    }

    private static HttpResponse newHead(Exchange exchange, HttpResponseStatus status) {
        HttpResponse head = exchange.newHead(status, CONTENT_TYPE);
        head.headers().set(HttpHeaderNames.ACCEPT_RANGES, "bytes");
        return head;
    }

    /** RFC 9110 §14.6: each part has its own Content-Type and Content-Range, then the closing delimiter. */
    private static List<Segment> multipartSegments(List<ByteRange> ranges, long size) {
        List<Segment> segments = new ArrayList<>();
        for (ByteRange range : ranges) {
            segments.add(ascii("--" + MULTIPART_BOUNDARY + "\r\n"
                    + "Content-Type: " + CONTENT_TYPE + "\r\n"
                    + "Content-Range: " + contentRange(range, size) + "\r\n\r\n"));
            segments.add(Segment.generated(range.first(), range.length()));
            segments.add(ascii("\r\n"));
        }
        segments.add(ascii("--" + MULTIPART_BOUNDARY + "--\r\n"));
        return segments;
    }

    private static String contentRange(ByteRange range, long size) {
        return "bytes " + range.first() + "-" + range.last() + "/" + size;
    }

    private static Segment ascii(String text) {
        return Segment.literal(text.getBytes(StandardCharsets.US_ASCII));
    }
}
