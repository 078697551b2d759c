package dev.plexgate.proxy.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * A blocking HTTP/1.1 client on a plain socket to 127.0.0.1. It sends bytes exactly as given, so
 * tests can write requests no well-behaved client would (bare LF, obs-fold, conflicting lengths),
 * and it reads responses as they are on the wire.
 */
public final class RawHttpClient implements AutoCloseable {

    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(10);

    private static final int MAX_LINE_LENGTH = 1 << 20;
    private static final int MAX_BUFFERED_BODY = Integer.MAX_VALUE - 16;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final int readTimeoutMillis;

    public RawHttpClient(int port) throws IOException {
        this(port, DEFAULT_READ_TIMEOUT);
    }

    public RawHttpClient(int port, Duration readTimeout) throws IOException {
        this(connect(port, readTimeout), readTimeout);
    }

    private RawHttpClient(Socket socket, Duration readTimeout) throws IOException {
        this.readTimeoutMillis = Math.toIntExact(readTimeout.toMillis());
        this.socket = socket;
        try {
            socket.setSoTimeout(readTimeoutMillis);
            this.in = new BufferedInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * A connection to a TLS listener, its handshake done (under TLS 1.3 the server may still
     * refuse the client's certificate after that: the first read then fails).
     */
    public static RawHttpClient overTls(int port, SSLContext context) throws IOException {
        Socket plain = connect(port, DEFAULT_READ_TIMEOUT);
        try {
            SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, "localhost", port, true);
            tls.setSoTimeout(Math.toIntExact(DEFAULT_READ_TIMEOUT.toMillis()));
            tls.startHandshake();
            return new RawHttpClient(tls, DEFAULT_READ_TIMEOUT);
        } catch (IOException e) {
            plain.close();
            throw e;
        }
    }

    /** The TLS session of a connection made by {@link #overTls}. */
    public SSLSession tlsSession() {
        return ((SSLSocket) socket).getSession();
    }

    private static Socket connect(int port, Duration timeout) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", port), Math.toIntExact(timeout.toMillis()));
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Writes {@code raw} as ISO-8859-1 bytes, exactly as given. */
    public RawHttpClient send(String raw) throws IOException {
        return send(raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawHttpClient send(byte[] raw) throws IOException {
        out.write(raw);
        out.flush();
        return this;
    }

    /** Reads one response, interim (1xx) responses included, to a request other than HEAD. */
    public RawResponse readResponse() throws IOException {
        return readResponse(false);
    }

    /**
     * Reads one response; {@code headRequest} says it answers a HEAD, whose response has no body
     * whatever its Content-Length says.
     *
     * @throws IncompleteResponseException when the connection ends inside the body
     */
    public RawResponse readResponse(boolean headRequest) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        RawResponse head = readResponse(headRequest, body);
        return new RawResponse(head.status(), head.reason(), head.headers(), body.toByteArray());
    }

    /**
     * Reads one response, passing its body to {@code bodySink} instead of keeping it (for bodies too
     * large to hold: hash them with a {@link java.security.DigestOutputStream}). Returns the head.
     */
    public RawResponse readResponse(boolean headRequest, OutputStream bodySink) throws IOException {
        RawResponse head = readResponseHead();
        if (!hasBody(head, headRequest)) {
            return head;
        }
        CountingStream sink = new CountingStream(bodySink);
        try {
            if (isChunked(head)) {
                for (byte[] chunk = readChunk(); chunk != null; chunk = readChunk()) {
                    sink.write(chunk);
                }
            } else if (head.header("content-length") != null) {
                copyExactly(contentLength(head), sink);
            } else {
                copyUntilClosed(sink);
            }
        } catch (EOFException | SocketException ended) {
            byte[] partial = bodySink instanceof ByteArrayOutputStream buffer ? buffer.toByteArray() : new byte[0];
            throw new IncompleteResponseException("connection ended after " + sink.count + " body bytes",
                    new RawResponse(head.status(), head.reason(), head.headers(), partial), ended);
        }
        return head;
    }

    /** Reads a status line and headers only; follow with {@link #readChunk()} to watch a chunked body arrive. */
    public RawResponse readResponseHead() throws IOException {
        String statusLine = readLine();
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/") || !parts[1].matches("\\d{3}")) {
            throw new IOException("not an HTTP status line: " + statusLine);
        }
        return new RawResponse(Integer.parseInt(parts[1]), parts.length == 3 ? parts[2] : "", readFields(), null);
    }

    /**
     * Reads the next chunk of a chunked body and returns its data, or {@code null} after the last
     * chunk (its trailers are read and dropped).
     */
    public byte[] readChunk() throws IOException {
        String sizeLine = readLine();
        int extension = sizeLine.indexOf(';');
        String sizeText = (extension < 0 ? sizeLine : sizeLine.substring(0, extension)).trim();
        long size;
        try {
            size = Long.parseLong(sizeText, 16);
        } catch (NumberFormatException e) {
            throw new IOException("malformed chunk size line: " + sizeLine, e);
        }
        if (size == 0) {
            readFields();
            return null;
        }
        if (size > MAX_BUFFERED_BODY) {
            throw new IOException("chunk too large to hold: " + size);
        }
        byte[] data = readExactly((int) size);
        if (!readLine().isEmpty()) {
            throw new IOException("chunk data not followed by CRLF");
        }
        return data;
    }

    /** Exactly {@code length} raw bytes, e.g. the start of a body after {@link #readResponseHead()}. */
    public byte[] readBytes(int length) throws IOException {
        return readExactly(length);
    }

    /**
     * Whether the server closed the connection (end of stream, or a reset), waiting up to the read
     * timeout for it to happen. Bytes that arrive meanwhile are discarded.
     */
    public boolean isClosedByPeer() throws IOException {
        long deadline = System.nanoTime() + readTimeoutMillis * 1_000_000L;
        byte[] discard = new byte[8192];
        try {
            while (true) {
                long remainingMillis = (deadline - System.nanoTime()) / 1_000_000L;
                if (remainingMillis <= 0) {
                    return false;
                }
                socket.setSoTimeout((int) remainingMillis);
                if (in.read(discard) < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (SocketException reset) {
            return true;
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(readTimeoutMillis);
            }
        }
    }

    /** Every byte until the server closes the connection (or resets it). */
    public byte[] readUntilClosed() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            copyUntilClosed(bytes);
        } catch (SocketException reset) {
            // A reset ends the stream as surely as a FIN; what arrived before it is the answer.
        }
        return bytes.toByteArray();
    }

    /** Half-closes the connection: the server sees end of stream while responses can still arrive. */
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    public int localPort() {
        return socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private static boolean hasBody(RawResponse head, boolean headRequest) {
        int status = head.status();
        return !headRequest && status >= 200 && status != 204 && status != 304;
    }

    private static boolean isChunked(RawResponse head) {
        List<String> codings = new ArrayList<>();
        for (String value : head.headerValues("transfer-encoding")) {
            for (String coding : value.split(",")) {
                codings.add(coding.trim().toLowerCase(Locale.ROOT));
            }
        }
        return !codings.isEmpty() && codings.get(codings.size() - 1).equals("chunked");
    }

    private static long contentLength(RawResponse head) throws IOException {
        String value = head.header("content-length").split(",")[0].trim();
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IOException("malformed Content-Length: " + value, e);
        }
    }

    private Map<String, List<String>> readFields() throws IOException {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        List<String> lastValues = null;
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && lastValues != null) {
                // obs-fold: the line continues the previous field value
                int last = lastValues.size() - 1;
                lastValues.set(last, lastValues.get(last) + " " + line.trim());
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed header line: " + line);
            }
            lastValues = fields.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    name -> new ArrayList<>());
            lastValues.add(line.substring(colon + 1).trim());
        }
        return fields;
    }

    /** A line ended by LF, with the CR before it (if any) removed. */
    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException(line.size() == 0 ? "connection closed" : "connection closed inside a line");
            }
            if (line.size() == MAX_LINE_LENGTH) {
                throw new IOException("line longer than " + MAX_LINE_LENGTH + " bytes");
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    private byte[] readExactly(int length) throws IOException {
        byte[] data = in.readNBytes(length);
        if (data.length < length) {
            throw new EOFException("connection closed after " + data.length + " of " + length + " bytes");
        }
        return data;
    }

    private void copyExactly(long length, OutputStream sink) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        for (long remaining = length; remaining > 0; ) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
            if (n < 0) {
                throw new EOFException("connection closed with " + remaining + " of " + length + " bytes missing");
            }
            sink.write(buffer, 0, n);
            remaining -= n;
        }
    }

    private void copyUntilClosed(OutputStream sink) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            sink.write(buffer, 0, n);
        }
    }

    /** Counts what passes to the caller's sink, for the message of an incomplete body. */
    private static final class CountingStream extends OutputStream {
        private final OutputStream target;
        private long count;

        CountingStream(OutputStream target) {
            this.target = target;
        }

        @Override
        public void write(int b) throws IOException {
            target.write(b);
            count++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            target.write(bytes, offset, length);
            count += length;
        }
    }
}
