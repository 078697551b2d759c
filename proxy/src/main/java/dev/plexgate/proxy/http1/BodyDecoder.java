package dev.plexgate.proxy.http1;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;

/**
 * Cuts one message body out of the bytes read, by its Content-Length or its chunks (RFC 9112
 * sections 6 and 7.1), into Netty's {@code HttpContent} pieces ending with a
 * {@link LastHttpContent}. Pieces are slices of the bytes read, never copies, and never gathered.
 * Chunk extensions and trailers are read and dropped: the next hop gets the body framed anew.
 *
 * <p>{@code strict} (a request's body) also refuses chunk lines and trailer lines that end in a
 * bare LF, as the head's lines are refused.
 */
public final class BodyDecoder {

    /** A chunk-size line with its extensions. */
    private static final int MAX_CHUNK_LINE = 4096;
    /** Hexadecimal digits of a chunk size: 15 keep it a positive long. */
    private static final int MAX_CHUNK_SIZE_DIGITS = 15;

    private enum State { FIXED, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS }

    private final boolean strict;
    private final int maxTrailerBytes;
    private State state = State.FIXED;
    /** Bytes left of a Content-Length body, or of the chunk being read. */
    private long remaining;
    private int trailerBytes;

    public BodyDecoder(boolean strict, int maxTrailerBytes) {
        this.strict = strict;
        this.maxTrailerBytes = maxTrailerBytes;
    }

    /** The next body has {@code length} (more than 0) bytes. */
    public void startFixed(long length) {
        remaining = length;
        state = State.FIXED;
    }

    /** The next body comes in chunks. */
    public void startChunked() {
        state = State.CHUNK_SIZE;
    }

    /**
     * Decodes what it can of {@code in} (one step: a piece, a chunk line, a trailer line); true
     * once the body's last piece was added to {@code out}.
     */
    public boolean decode(ByteBuf in, List<Object> out) throws MalformedMessageException {
        return switch (state) {
            case FIXED -> fixed(in, out);
            case CHUNK_SIZE -> chunkSize(in);
            case CHUNK_DATA -> chunkData(in, out);
            case CHUNK_END -> chunkEnd(in);
            case TRAILERS -> trailers(in, out);
        };
    }

    private boolean fixed(ByteBuf in, List<Object> out) {
        int length = (int) Math.min(remaining, in.readableBytes());
        ByteBuf piece = in.readRetainedSlice(length);
        remaining -= length;
        if (remaining == 0) {
            out.add(new DefaultLastHttpContent(piece, EmptyHttpHeaders.INSTANCE));
            return true;
        }
        out.add(new DefaultHttpContent(piece));
        return false;
    }

    private boolean chunkSize(ByteBuf in) throws MalformedMessageException {
        int start = in.readerIndex();
        int lf = in.indexOf(start, Math.min(in.writerIndex(), start + MAX_CHUNK_LINE), (byte) '\n');
        if (lf < 0) {
            if (in.readableBytes() >= MAX_CHUNK_LINE) {
                throw new MalformedMessageException("a chunk-size line over " + MAX_CHUNK_LINE + " bytes");
            }
            return false;
        }
        long size = 0;
        int at = start;
        for (; at < lf; at++) {
            int digit = Character.digit(in.getByte(at), 16);
            if (digit < 0) {
                break;
            }
            if (at - start == MAX_CHUNK_SIZE_DIGITS) {
                throw new MalformedMessageException("a chunk size over " + MAX_CHUNK_SIZE_DIGITS
                        + " hexadecimal digits");
            }
            size = size * 16 + digit;
        }
        if (at == start || !chunkExtensions(in, at, lf)) {
            throw new MalformedMessageException("an invalid chunk size");
        }
        in.readerIndex(lf + 1);
        if (size == 0) {
            trailerBytes = 0;
            state = State.TRAILERS;
        } else {
            remaining = size;
            state = State.CHUNK_DATA;
        }
        return false;
    }

    /**
     * What may follow a chunk size: whitespace, then nothing or extensions after a semicolon
     * (RFC 9112 section 7.1.1), and a CR before the LF (which only a lenient reader may miss).
     */
    private boolean chunkExtensions(ByteBuf in, int from, int lf) {
        boolean cr = lf > from && in.getByte(lf - 1) == '\r';
        if (strict && !cr) {
            return false;
        }
        int end = cr ? lf - 1 : lf;
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
            if (!FieldLines.fieldValueByte(in.getByte(i))) {
                return false;
            }
        }
        return true;
    }

    private boolean chunkData(ByteBuf in, List<Object> out) {
        int length = (int) Math.min(remaining, in.readableBytes());
        out.add(new DefaultHttpContent(in.readRetainedSlice(length)));
        remaining -= length;
        if (remaining == 0) {
            state = State.CHUNK_END;
        }
        return false;
    }

    private boolean chunkEnd(ByteBuf in) throws MalformedMessageException {
        byte first = in.getByte(in.readerIndex());
        if (first == '\n' && !strict) {
            in.skipBytes(1);
            state = State.CHUNK_SIZE;
        } else if (first != '\r') {
            throw new MalformedMessageException("chunk data not followed by CRLF");
        } else if (in.readableBytes() >= 2) {
            if (in.getByte(in.readerIndex() + 1) != '\n') {
                throw new MalformedMessageException("chunk data not followed by CRLF");
            }
            in.skipBytes(2);
            state = State.CHUNK_SIZE;
        }
        return false;
    }

    private boolean trailers(ByteBuf in, List<Object> out) throws MalformedMessageException {
        while (in.isReadable()) {
            int start = in.readerIndex();
            int lf = in.indexOf(start, in.writerIndex(), (byte) '\n');
            int length = (lf < 0 ? in.writerIndex() : lf) - start;
            if (trailerBytes + length > maxTrailerBytes) {
                throw new MalformedMessageException("trailers over " + maxTrailerBytes + " bytes");
            }
            if (lf < 0) {
                return false;
            }
            if (strict && (length == 0 || in.getByte(lf - 1) != '\r')) {
                throw new MalformedMessageException("a trailer line without CRLF");
            }
            in.readerIndex(lf + 1);
            if (length == 0 || (length == 1 && in.getByte(start) == '\r')) {
                out.add(LastHttpContent.EMPTY_LAST_CONTENT);
                return true;
            }
            trailerBytes += length;
        }
        return false;
    }
}
