package dev.plexgate.proxy.http;

import dev.plexgate.proxy.http1.RequestHead;
import dev.plexgate.proxy.http1.ResponseHead;
import dev.plexgate.proxy.policy.Decision;
import dev.plexgate.proxy.policy.Policy;
import dev.plexgate.proxy.tls.TlsFailures;
import dev.plexgate.proxy.upstream.UpstreamListener;
import dev.plexgate.proxy.upstream.UpstreamPool;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.micrometer.core.instrument.Counter;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection's exchanges with Plex, one at a time (pipelined requests wait in
 * {@code FlowControlHandler} until the previous response is complete, so answers leave in order).
 *
 * <p>Both channels have auto-read off and share this connection's event loop, so plain fields
 * suffice and the flow is explicit: a side is read only when the other side can take what comes
 * ({@link Channel#isWritable()}), and a writability change resumes the stalled read. Nothing is
 * aggregated: bodies move as the {@link HttpContent} pieces the decoders produce, and writes are
 * flushed once per upstream read batch so a response's head and first body bytes share a
 * {@code writev}. Writes whose outcome nothing waits for take the void promise (no promise
 * object per piece): a failed one still reaches {@link #exceptionCaught} on the client side, or
 * {@code UpstreamHandler} on Plex's, and either ends the exchange.
 *
 * <p>Each request head is judged first (DESIGN §3): client address, then the policy, which may
 * answer with a block page and a security event before Plex is asked. A websocket's {@code 101}
 * hands both connections over to a {@link WebSocketRelay}.
 *
 * <p>Failure rules: nothing answered yet → an error page (502 refused or reset, 504 silent);
 * response under way → the client connection is closed without a terminating chunk, so a cut
 * body can never look complete.
 */
final class ProxyHandler extends ChannelInboundHandlerAdapter implements UpstreamListener {

    private static final Logger log = LoggerFactory.getLogger(ProxyHandler.class);

    private final LiveConfig live;
    /** The config generation of the exchange in progress (the current one between exchanges). */
    private ExchangeConfig config;
    private final RequestHeadTimeoutHandler headTimeout;
    private final ConnectionTracker connections;

    private ChannelHandlerContext ctx;
    private boolean draining;

    // The exchange in progress. Reset by startExchange; meaningful only while inExchange.
    private boolean inExchange;
    /** Counts exchanges, so that a connect finishing late cannot join a later exchange. */
    private long exchange;
    private RequestHead request;
    private boolean requestKeepAlive;
    private boolean http10Client;
    private boolean requestHasBody;
    private boolean expectContinue;
    private boolean websocketRequest;
    private boolean requestHeadSent;
    private boolean requestComplete;
    private boolean requestSent;
    private Channel upstream;
    private boolean upstreamReused;
    private boolean retried;
    private boolean responseStarted;
    private boolean clientKeepAlive;
    private boolean upstreamReusable;
    /** A 1xx response is being relayed or skipped; its empty last content is not the exchange's end. */
    private boolean informational;
    private boolean relayInformational;
    private boolean upgrading;
    /** plexgate_client_sent_bytes_total of this exchange's client. */
    private Counter sentBytes;
    /**
     * Whose counter {@link #sentBytes} is, under which policy. cloudflared's connections mostly
     * carry one viewer's requests in a row, and naming a client (an allow-list lookup and a map
     * of counters) took about 2 % of the event loops' Java samples; a new client or policy looks
     * it up again.
     */
    private InetAddress sentBytesClient;
    private Policy sentBytesPolicy;
    private long exchangeStartNanos;
    private int responseStatus;
    private boolean clientReadPending;
    /** A read was asked of the client side and no message has come of it yet. */
    private boolean clientReadRequested;
    private boolean upstreamReadPending;
    /** Plex's response head must arrive before this; armed once the request is sent. */
    private Deadline responseDeadline;
    /** No byte moved either way for stream_idle: the exchange is abandoned. */
    private Deadline idleDeadline;

    ProxyHandler(LiveConfig live, RequestHeadTimeoutHandler headTimeout, ConnectionTracker connections) {
        this.live = live;
        this.config = live.current();
        this.headTimeout = headTimeout;
        this.connections = connections;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.responseDeadline = new Deadline(ctx.executor(), this::responseTimedOut);
        this.idleDeadline = new Deadline(ctx.executor(), this::streamIdled);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        draining = connections.draining();
        readClient();
        ctx.fireChannelActive();
    }

    // ---- client side -------------------------------------------------------------------------

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        clientReadRequested = false;
        if (msg instanceof RequestHead req) {
            startExchange(req);
        } else if (msg instanceof HttpContent content && inExchange) {
            requestContent(content);
        } else {
            // The empty end of a bodiless request answered before it arrived: the read it
            // satisfied was meant for the next request.
            ReferenceCountUtil.release(msg);
            if (msg instanceof LastHttpContent && ctx.channel().isActive()) {
                readClient();
            }
        }
    }

    private void startExchange(RequestHead req) {
        headTimeout.headReceived();
        config = live.current();
        inExchange = true;
        exchange++;
        exchangeStartNanos = System.nanoTime();
        request = req;
        requestHeadSent = false;
        requestComplete = false;
        requestSent = false;
        upstream = null;
        upstreamReused = false;
        retried = false;
        responseStarted = false;
        informational = false;
        upgrading = false;
        clientReadPending = false;
        upstreamReadPending = false;

        requestKeepAlive = req.keepAlive();
        http10Client = req.http10();
        expectContinue = req.expectsContinue();
        requestHasBody = req.hasBody();
        websocketRequest = req.websocketUpgrade();
        InetSocketAddress peer = (InetSocketAddress) ctx.channel().remoteAddress();
        ClientAddress client = config.clients().resolve(peer.getAddress(), req.fields());
        if (config.policy() != sentBytesPolicy || !client.address().equals(sentBytesClient)) {
            sentBytesPolicy = config.policy();
            sentBytesClient = client.address();
            sentBytes = sentBytesPolicy.sentBytes(sentBytesClient);
        }

        touch();
        if (!requestHasBody) {
            // Take the request's empty end now: the request is then complete whatever happens
            // upstream, and the connection can stay open after an error or block page.
            readClient();
        }
        Decision decision = config.policy().decide(RequestFactsBuilder.facts(req, client,
                config.policy().readsHeaderLists()));
        decision.count();
        if (decision.recorded()) {
            live.events().record(SecurityEvents.of(req, client, decision));
        }
        if (decision.blocks()) {
            respondLocally(BlockPages.page(ctx, decision, client.trustedPeer() ? req.fields().value(BlockPages.CF_RAY) : null,
                    mayKeepAlive()));
            return;
        }
        config.headers().prepareRequest(req, client, websocketRequest);
        acquireUpstream();
    }

    private void acquireUpstream() {
        Channel pooled = config.pool().pollIdle(ctx.channel().eventLoop(), this);
        if (pooled != null) {
            upstreamReused = true;
            upstreamReady(pooled);
            return;
        }
        upstreamReused = false;
        long connectingFor = exchange;
        config.pool().connect(ctx.channel().eventLoop(), this).addListener((ChannelFuture f) -> {
            boolean stillWanted = inExchange && exchange == connectingFor && ctx.channel().isActive();
            if (!f.isSuccess()) {
                live.meters().upstreamConnectError();
                log.warn("cannot connect to Plex at {}: {}", config.pool().address(), f.cause().getMessage());
                if (stillWanted) {
                    respondError(502, "plexgate could not connect to Plex.");
                }
            } else if (!stillWanted) {
                f.channel().close();
            } else {
                upstreamReady(f.channel());
            }
        });
    }

    private void upstreamReady(Channel channel) {
        upstream = channel;
        if (requestComplete) {
            // A bodiless request (or its retry after a pooled connection had gone stale).
            sendRequestHead();
            sendLastContent(LastHttpContent.EMPTY_LAST_CONTENT);
            return;
        }
        if (expectContinue) {
            sendRequestHead();
            upstream.flush();
        }
        // A body's head waits for its first piece: a malformed first chunk then never reaches Plex.
        readClient();
    }

    private void sendRequestHead() {
        requestHeadSent = true;
        upstream.write(request, upstream.voidPromise());
        upstream.read();
    }

    private void requestContent(HttpContent content) {
        touch();
        boolean last = content instanceof LastHttpContent;
        if (last) {
            requestComplete = true;
        }
        if (upstream == null || requestSent) {
            content.release();
            return;
        }
        if (!requestHeadSent) {
            sendRequestHead();
        }
        if (last) {
            sendLastContent((LastHttpContent) content);
        } else {
            upstream.writeAndFlush(content, upstream.voidPromise());
            if (upstream.isWritable()) {
                readClient();
            } else {
                clientReadPending = true;
            }
        }
    }

    private void sendLastContent(LastHttpContent last) {
        requestSent = true;
        upstream.writeAndFlush(last, upstream.voidPromise());
        if (!responseStarted) {
            responseDeadline.setIn(config.responseHeaderNanos());
        }
    }

    /**
     * A read cycle that ends without a message still counts as the answer to a {@code read()}
     * (FlowControlHandler's contract with auto-read off), so ask again while a message is wanted.
     */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (clientReadRequested) {
            ctx.read();
        }
        ctx.fireChannelReadComplete();
    }

    /** Asks for the next client message, once: a second read() would release two messages. */
    private void readClient() {
        if (!clientReadRequested) {
            clientReadRequested = true;
            ctx.read();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && upstreamReadPending && upstream != null) {
            upstreamReadPending = false;
            upstream.read();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ConnectionTracker.DRAIN) {
            draining = true;
            if (!inExchange) {
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof MalformedRequestException malformed) {
            if (inExchange && !requestHeadSent) {
                if (upstream != null) {
                    config.pool().release(upstream); // nothing was written to it
                    upstream = null;
                }
                respondError(malformed.status(), "The request was malformed.");
            } else {
                abort();
            }
            return;
        }
        log.debug("client connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        abort();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        // A websocket's relay takes this handler's place: its deadlines must not keep it alive.
        responseDeadline.stop();
        idleDeadline.stop();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        responseDeadline.stop();
        idleDeadline.stop();
        if (upstream != null) {
            upstream.close();
            upstream = null;
        }
        inExchange = false;
        ctx.fireChannelInactive();
    }

    // ---- upstream side -----------------------------------------------------------------------

    @Override
    public void upstreamRead(Object message) {
        if (message instanceof ResponseHead head) {
            responseHead(head);
        } else if (message instanceof HttpContent content) {
            responseContent(content);
        } else {
            ReferenceCountUtil.release(message);
        }
    }

    private void responseHead(ResponseHead head) {
        touch();
        int code = head.status();
        if (code == 101 && websocketRequest) {
            cancelResponseTimer();
            responseStarted = true;
            upgrading = true;
            config.headers().prepareUpgradeResponse(head);
            ctx.write(head, ctx.voidPromise());
            return;
        }
        if (code == 101) {
            log.warn("Plex switched protocols without a websocket request");
            closeUpstream();
            respondError(502, "Plex sent an invalid response.");
            return;
        }
        if (code < 200) {
            // 100 Continue reaches a client that asked for it; other interim answers go no further.
            informational = true;
            relayInformational = code == 100 && expectContinue && !responseStarted;
            if (relayInformational) {
                ctx.write(head, ctx.voidPromise());
            }
            return;
        }
        cancelResponseTimer();
        responseStarted = true;
        responseStatus = code;
        ForwardingHeaders.ResponseFraming framing = config.headers().prepareResponse(head, request,
                http10Client, requestKeepAlive && !draining);
        clientKeepAlive = framing.clientKeepAlive();
        upstreamReusable = framing.upstreamReusable();
        ctx.write(head, ctx.voidPromise());
    }

    private void responseContent(HttpContent content) {
        touch();
        if (content.decoderResult().isFailure()) {
            // Broken framing (a bad head or chunk size): the decoder ends it with an empty last
            // piece that must not pass for the body's end, and ignores the connection from here on.
            log.warn("invalid response from Plex: {}", content.decoderResult().cause().getMessage());
            content.release();
            closeUpstream();
            respondError(502, "Plex sent an invalid response.");
            return;
        }
        boolean last = content instanceof LastHttpContent;
        if (informational) {
            if (relayInformational) {
                ctx.writeAndFlush(content, ctx.voidPromise());
            } else {
                content.release();
            }
            informational = !last;
            return;
        }
        if (!responseStarted) {
            content.release();
            return;
        }
        if (upgrading) {
            ctx.writeAndFlush(content, ctx.voidPromise());
            if (last) {
                handOverToRelay();
            }
            return;
        }
        sentBytes.increment(content.content().readableBytes());
        if (!last) {
            ctx.write(content, ctx.voidPromise());
            return;
        }
        ChannelFuture written = ctx.writeAndFlush(content);
        responseComplete(written);
    }

    @Override
    public void upstreamReadComplete() {
        ctx.flush();
        if (upstream != null && inExchange) {
            if (ctx.channel().isWritable()) {
                upstream.read();
            } else {
                upstreamReadPending = true;
            }
        }
    }

    @Override
    public void upstreamWritabilityChanged() {
        if (upstream != null && upstream.isWritable() && clientReadPending) {
            clientReadPending = false;
            readClient();
        }
    }

    @Override
    public void upstreamClosed(Throwable cause) {
        upstream = null;
        if (!inExchange) {
            return;
        }
        if (!responseStarted) {
            if (upstreamReused && !requestHasBody && !retried) {
                // The origin closed an idle pooled connection just as it was reused: one fresh try.
                retried = true;
                requestHeadSent = false;
                requestSent = false;
                cancelResponseTimer();
                acquireUpstream();
                return;
            }
            SSLException tlsFailure = TlsFailures.find(cause);
            if (tlsFailure != null) {
                log.warn("TLS with Plex at {} failed: {} (check upstream and upstream_tls in plexgate.yml)",
                        config.pool().address(), tlsFailure.getMessage());
                respondError(502, "plexgate could not set up TLS with Plex.");
                return;
            }
            log.warn("Plex closed the connection before answering{}",
                    cause == null ? "" : ": " + cause.getMessage());
            respondError(502, "Plex closed the connection without answering.");
        } else {
            log.warn("Plex closed the connection in the middle of a response{}",
                    cause == null ? "" : ": " + cause.getMessage());
            abort();
        }
    }

    // ---- endings -----------------------------------------------------------------------------

    private void responseComplete(ChannelFuture lastWrite) {
        live.meters().exchange(request.method(), responseStatus, System.nanoTime() - exchangeStartNanos);
        cancelTimers();
        inExchange = false;
        Channel finished = upstream;
        upstream = null;
        if (finished != null) {
            if (upstreamReusable && requestSent) {
                config.pool().release(finished);
            } else {
                finished.close();
            }
        }
        if (clientKeepAlive && requestComplete && !draining) {
            headTimeout.exchangeDone();
            readClient();
        } else {
            lastWrite.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Answers with an error page when nothing was answered yet; otherwise cuts the connection. */
    private void respondError(int code, String explanation) {
        if (!inExchange) {
            return;
        }
        if (responseStarted) {
            abort();
            return;
        }
        respondLocally(ErrorResponses.page(ctx, code, explanation, mayKeepAlive()));
    }

    /**
     * After a local answer the connection can carry another request only if this one was read
     * to its end (a bodiless request is, even if its empty end is still being decoded).
     */
    private boolean mayKeepAlive() {
        return (requestComplete || !requestHasBody) && requestKeepAlive && !draining;
    }

    /**
     * Ends the exchange with an answer of plexgate's own (error or block page): Plex is not asked,
     * or no longer. The connection stays open when the page says so (a complete, keep-alive request).
     */
    private void respondLocally(FullHttpResponse page) {
        live.meters().exchange(request.method(), page.status().code(), System.nanoTime() - exchangeStartNanos);
        cancelTimers();
        closeUpstream();
        inExchange = false;
        ChannelFuture written = ctx.writeAndFlush(page);
        if (HttpUtil.isKeepAlive(page)) {
            headTimeout.exchangeDone();
            readClient();
        } else {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void responseTimedOut() {
        if (inExchange && !responseStarted) {
            log.warn("Plex did not answer within {} s", TimeUnit.NANOSECONDS.toSeconds(config.responseHeaderNanos()));
            respondError(504, "Plex did not answer in time.");
        }
    }

    private void abort() {
        cancelTimers();
        closeUpstream();
        inExchange = false;
        ctx.close();
    }

    private void closeUpstream() {
        if (upstream != null) {
            Channel channel = upstream;
            upstream = null;
            channel.close();
        }
    }

    // ---- websocket ---------------------------------------------------------------------------

    /**
     * After the 101 went out, the exchange is no longer HTTP: the codecs leave both pipelines and
     * a {@link WebSocketRelay} takes this handler's place, on the same upstream connection.
     */
    private void handOverToRelay() {
        Channel connection = upstream;
        upstream = null;
        inExchange = false;
        cancelTimers();
        if (connection == null) {
            ctx.close();
            return;
        }
        WebSocketRelay relay = new WebSocketRelay(connection, config.streamIdleNanos(), sentBytes);
        ChannelPipeline client = ctx.pipeline();
        client.replace(this, ProxyChannelInitializer.PROXY, relay);
        // Bytes a codec still holds pass on to the relay as it is removed. The client side goes
        // first: Plex may have sent its first frame with the 101, and the relay writes it to
        // the client as raw bytes, which the HTTP encoder would refuse.
        client.remove(ProxyChannelInitializer.HEAD_TIMEOUT);
        client.remove(ProxyChannelInitializer.ENCODER);
        client.remove(ProxyChannelInitializer.DECODER);
        client.remove(ProxyChannelInitializer.FLOW_CONTROL);
        client.remove(ProxyChannelInitializer.VALIDATOR);
        UpstreamPool.switchToRaw(connection, relay);
        relay.start();
    }

    // ---- timers ------------------------------------------------------------------------------

    private void touch() {
        idleDeadline.setIn(config.streamIdleNanos());
    }

    private void streamIdled() {
        if (inExchange) {
            log.info("closing exchange with {} after {} s without a byte either way", ctx.channel().remoteAddress(),
                    TimeUnit.NANOSECONDS.toSeconds(config.streamIdleNanos()));
            abort();
        }
    }

    private void cancelResponseTimer() {
        responseDeadline.clear();
    }

    private void cancelTimers() {
        responseDeadline.clear();
        idleDeadline.clear();
    }
}
