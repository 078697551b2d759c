package dev.plexgate.proxy.http1;

import io.netty.buffer.ByteBuf;

/**
 * Finds a head's end in the bytes read so far, for a decoder that gets them in pieces: it
 * remembers how far the head in progress was already found to be whole lines, so each byte is
 * searched once, with {@link ByteBuf#indexOf} (eight bytes at a time). Empty lines before a head
 * are ignored (RFC 9112 section 2.2). One per connection and side.
 */
public final class HeadReader {

    /** Bytes of the head in progress, from the reader index, already found to be whole lines. */
    private int scanned;
    private int firstLineLength = -1;
    /** Lines of the head in progress found so far. */
    private int lines;
    private int linesOfLastHead;

    /** Skips empty lines before a head; true if bytes of a head are left to read. */
    public boolean skipEmptyLines(ByteBuf in) {
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

    /**
     * Takes the next head off {@code in}: its bytes up to the blank line that ends it, which is
     * consumed too. Null while the blank line is not within the first {@code limit} bytes; the
     * caller decides whether that many bytes already mean a head too large.
     */
    public byte[] read(ByteBuf in, int limit) {
        if (scanned == 0) {
            firstLineLength = -1;
        }
        int start = in.readerIndex();
        int lineStart = start + scanned;
        int end = Math.min(in.writerIndex(), start + limit);
        while (true) {
            // indexOf searches backwards when its start lies past its end: never let it.
            int lf = lineStart < end ? in.indexOf(lineStart, end, (byte) '\n') : -1;
            if (lf < 0) {
                scanned = lineStart - start;
                return null;
            }
            int length = lf - lineStart;
            boolean blank = length == 0 || (length == 1 && in.getByte(lineStart) == '\r');
            if (lineStart == start) {
                firstLineLength = length > 0 && in.getByte(lf - 1) == '\r' ? length - 1 : length;
            } else if (blank) {
                byte[] head = new byte[lineStart - start];
                in.getBytes(start, head);
                in.readerIndex(lf + 1);
                scanned = 0;
                linesOfLastHead = lines;
                lines = 0;
                return head;
            }
            lines++;
            lineStart = lf + 1;
        }
    }

    /**
     * How many lines the head {@link #read} returned last has, its start line included: the size
     * of its field table, which is then allocated once at the right size.
     */
    public int linesOfLastHead() {
        return linesOfLastHead;
    }

    /**
     * The first line's length without its line ending, of the head being read or the one
     * {@link #read} returned last; -1 while that line has not come whole.
     */
    public int firstLineLength() {
        return firstLineLength;
    }
}
