package dev.plexgate.proxy.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;
import java.util.Queue;

/**
 * Splits what Plex sends on a pooled connection into {@link ResponseHead}s and their bodies as
 * Netty's {@code HttpContent} pieces, each body ending with a {@link LastHttpContent} (bodiless
 * responses too). Pieces are slices of the bytes read, never copies, and never gathered.
 *
 * <p>Framing follows RFC 9112 section 6.3: no body for a 1xx, 204 or 304 or an answer to HEAD;
 * else a Transfer-Encoding ending in chunked is decoded from its chunks (trailers are read and
 * dropped: Plex sends none, and the client side frames the body anew); any other
 * Transfer-Encoding, or no length at all, runs until Plex closes; else Content-Length. After a
 * {@code 101} the bytes that follow are passed on as they come.
 *
 * <p>Anything that breaks the grammar — of a head ({@link ResponseHead#parse}), of a chunk size
 * or the CRLF after a chunk's data — or a head over {@value #MAX_HEAD_SIZE} bytes, becomes a
 * {@link LastHttpContent} whose decoder result failed with an {@link InvalidResponseException},
 * and every later byte is ignored: the exchange ends, and the connection is not reused. Plex
 * closing in the middle of a head is such a failure; in the middle of a body it is not, and the
 * connection's close tells the exchange that its body was cut.
 */
final class ResponseDecoder extends ByteToMessageDecoder {

    static final int MAX_HEAD_SIZE = 64 * 1024;
    /** A chunk-size line with its extensions; Plex sends no extensions. */
    private static final int MAX_CHUNK_LINE = 4096;

    private enum State { HEAD, FIXED, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, UNTIL_CLOSE, UPGRADED, BROKEN }

    /** The methods of the requests sent on this connection and not yet answered, oldest first. */
    private final Queue<HttpMethod> methods;
    private State state = State.HEAD;
    /** Bytes of the head in progress, from the reader index, already found to be whole lines. */
    private int scanned;
    /** Where the head found by {@link #headEnd} stops: the start of its blank line. */
    private int blankLine;
    /** Bytes left of a Content-Length body, or of the chunk being read. */
    private long remaining;
    private int trailerBytes;

    ResponseDecoder(Queue<HttpMethod> methods) {
        this.methods = methods;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        switch (state) {
            case HEAD -> head(in, out);
            case FIXED -> fixed(in, out);
            case CHUNK_SIZE -> chunkSize(in, out);
            case CHUNK_DATA -> chunkData(in, out);
            case CHUNK_END -> chunkEnd(in, out);
            case TRAILERS -> trailers(in, out);
            case UNTIL_CLOSE -> out.add(new DefaultHttpContent(in.readRetainedSlice(in.readableBytes())));
            case UPGRADED -> out.add(in.readRetainedSlice(in.readableBytes()));
            case BROKEN -> in.skipBytes(in.readableBytes());
        }
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (state == State.UNTIL_CLOSE) {
            out.add(LastHttpContent.EMPTY_LAST_CONTENT);
            state = State.HEAD;
        } else if (state == State.HEAD && skipEmptyLines(in)) {
            fail(in, out, "the connection closed in the middle of a response head");
        }
    }

    private void head(ByteBuf in, List<Object> out) {
        if (!skipEmptyLines(in)) {
            return;
        }
        int start = in.readerIndex();
        int end = headEnd(in, start);
        if (end < 0) {
            if (in.readableBytes() > MAX_HEAD_SIZE) {
                fail(in, out, "a response head over " + MAX_HEAD_SIZE / 1024 + " KiB");
            }
            return;
        }
        if (blankLine - start > MAX_HEAD_SIZE) {
            fail(in, out, "a response head over " + MAX_HEAD_SIZE / 1024 + " KiB");
            return;
        }
        byte[] bytes = new byte[blankLine - start];
        in.getBytes(start, bytes);
        in.readerIndex(end);
        scanned = 0;
        ResponseHead head;
        try {
            head = ResponseHead.parse(bytes);
        } catch (InvalidResponseException e) {
            fail(in, out, e.getMessage());
            return;
        }
        out.add(head);
        bodyOf(head, out);
    }

    /**
     * Empty lines before a status line are ignored (RFC 9112 section 2.2). True if bytes of a
     * head are left.
     */
    private boolean skipEmptyLines(ByteBuf in) {
        if (scanned == 0) {
            while (in.isReadable()) {
                byte b = in.getByte(in.readerIndex());
                if (b != '\r' && b != '\n') {
                    break;
                }
                in.skipBytes(1);
            }
        }
        return in.isReadable();
    }

    /** The index after the head's blank line, or -1 while it has not come. */
    private int headEnd(ByteBuf in, int start) {
        int lineStart = start + scanned;
        int limit = Math.min(in.writerIndex(), start + MAX_HEAD_SIZE + 2);
        while (true) {
            int lf = in.indexOf(lineStart, limit, (byte) '\n');
            if (lf < 0) {
                scanned = lineStart - start;
                return -1;
            }
            int length = lf - lineStart;
            if (length == 0 || (length == 1 && in.getByte(lineStart) == '\r')) {
                blankLine = lineStart;
                return lf + 1;
            }
            lineStart = lf + 1;
        }
    }

    private void bodyOf(ResponseHead head, List<Object> out) {
        int status = head.status();
        if (status < 200) {
            // An interim response answers nothing yet; the request's final one follows.
            out.add(LastHttpContent.EMPTY_LAST_CONTENT);
            state = status == 101 ? State.UPGRADED : State.HEAD;
            return;
        }
        boolean answersHead = HttpMethod.HEAD.equals(methods.poll());
        if (answersHead || status == 204 || status == 304) {
            out.add(LastHttpContent.EMPTY_LAST_CONTENT);
        } else if (head.transferEncoded()) {
            state = head.chunked() ? State.CHUNK_SIZE : State.UNTIL_CLOSE;
        } else if (head.contentLength() > 0) {
            remaining = head.contentLength();
            state = State.FIXED;
        } else if (head.contentLength() == 0) {
            out.add(LastHttpContent.EMPTY_LAST_CONTENT);
        } else {
            state = State.UNTIL_CLOSE;
        }
    }

    private void fixed(ByteBuf in, List<Object> out) {
        int length = (int) Math.min(remaining, in.readableBytes());
        ByteBuf piece = in.readRetainedSlice(length);
        remaining -= length;
        if (remaining == 0) {
            out.add(new DefaultLastHttpContent(piece, EmptyHttpHeaders.INSTANCE));
            state = State.HEAD;
        } else {
            out.add(new DefaultHttpContent(piece));
        }
    }

    private void chunkSize(ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        int lf = in.indexOf(start, Math.min(in.writerIndex(), start + MAX_CHUNK_LINE), (byte) '\n');
        if (lf < 0) {
            if (in.readableBytes() >= MAX_CHUNK_LINE) {
                fail(in, out, "a chunk-size line over " + MAX_CHUNK_LINE + " bytes");
            }
            return;
        }
        long size = 0;
        int at = start;
        for (; at < lf; at++) {
            int digit = Character.digit(in.getByte(at), 16);
            if (digit < 0) {
                break;
            }
            if (at - start == 15) {
                fail(in, out, "a chunk size over 15 hexadecimal digits");
                return;
            }
            size = size * 16 + digit;
        }
        if (at == start || !chunkExtensions(in, at, lf)) {
            fail(in, out, "an invalid chunk size");
            return;
        }
        in.readerIndex(lf + 1);
        if (size == 0) {
            trailerBytes = 0;
            state = State.TRAILERS;
        } else {
            remaining = size;
            state = State.CHUNK_DATA;
        }
    }

    /**
     * What may follow a chunk size: whitespace, then nothing or extensions after a semicolon
     * (RFC 9112 section 7.1.1), and a CR before the LF.
     */
    private static boolean chunkExtensions(ByteBuf in, int from, int lf) {
        int end = lf > from && in.getByte(lf - 1) == '\r' ? lf - 1 : lf;
        int at = from;
        while (at < end && (in.getByte(at) == ' ' || in.getByte(at) == '\t')) {
            at++;
        }
        if (at == end) {
            return true;
        }
        if (in.getByte(at) != ';') {
            return false;
        }
        for (int i = at + 1; i < end; i++) {
            byte b = in.getByte(i);
            if (b != '\t' && (b < ' ' || b == 0x7f)) {
                return false;
            }
        }
        return true;
    }

    private void chunkData(ByteBuf in, List<Object> out) {
        int length = (int) Math.min(remaining, in.readableBytes());
        out.add(new DefaultHttpContent(in.readRetainedSlice(length)));
        remaining -= length;
        if (remaining == 0) {
            state = State.CHUNK_END;
        }
    }

    private void chunkEnd(ByteBuf in, List<Object> out) {
        byte first = in.getByte(in.readerIndex());
        if (first == '\n') {
            in.skipBytes(1);
            state = State.CHUNK_SIZE;
        } else if (first != '\r') {
            fail(in, out, "chunk data not followed by CRLF");
        } else if (in.readableBytes() >= 2) {
            if (in.getByte(in.readerIndex() + 1) != '\n') {
                fail(in, out, "chunk data not followed by CRLF");
                return;
            }
            in.skipBytes(2);
            state = State.CHUNK_SIZE;
        }
    }

    private void trailers(ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            int start = in.readerIndex();
            int lf = in.indexOf(start, in.writerIndex(), (byte) '\n');
            int length = (lf < 0 ? in.writerIndex() : lf) - start;
            if (trailerBytes + length > MAX_HEAD_SIZE) {
                fail(in, out, "trailers over " + MAX_HEAD_SIZE / 1024 + " KiB");
                return;
            }
            if (lf < 0) {
                return;
            }
            in.readerIndex(lf + 1);
            if (length == 0 || (length == 1 && in.getByte(start) == '\r')) {
                out.add(LastHttpContent.EMPTY_LAST_CONTENT);
                state = State.HEAD;
                return;
            }
            trailerBytes += length;
        }
    }

    private void fail(ByteBuf in, List<Object> out, String problem) {
        in.skipBytes(in.readableBytes());
        state = State.BROKEN;
        LastHttpContent failure = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER, EmptyHttpHeaders.INSTANCE);
        failure.setDecoderResult(DecoderResult.failure(new InvalidResponseException(problem)));
        out.add(failure);
    }
}
