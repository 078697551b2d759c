package dev.plexgate.proxy.upstream;

/**
 * What an upstream connection reports to the client exchange that currently holds it. Called on
 * the shared event loop, in order.
 */
public interface UpstreamListener {

    /** A decoded piece of the response: an {@code HttpObject}, or raw bytes once upgraded. */
    void upstreamRead(Object message);

    /** The end of one socket read: the moment to flush what was relayed. */
    void upstreamReadComplete();

    /** The upstream connection's outbound buffer crossed a watermark (request body backpressure). */
    void upstreamWritabilityChanged();

    /** The connection closed (origin close, reset or error) while held by this listener. */
    void upstreamClosed(Throwable cause);
}
