package dev.plexgate.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The connection cap as the listening channel applies it: accepted connections arrive as messages
 * of the listener's pipeline, in accept order, as Netty's acceptor hands them on.
 */
final class AdmissionHandlerTest {

    private final ConnectionTracker connections = new ConnectionTracker();
    private final AtomicInteger cap = new AtomicInteger(2);
    private final EmbeddedChannel listener = new EmbeddedChannel(new AdmissionHandler(cap::get, connections));

    @Test
    void beyondTheCap_theNewestConnectionIsClosedAndNotPassedOn() {
        EmbeddedChannel first = new EmbeddedChannel();
        EmbeddedChannel second = new EmbeddedChannel();
        EmbeddedChannel third = new EmbeddedChannel();

        listener.writeInbound(first, second, third);

        assertThat(listener.<Channel>readInbound()).isSameAs(first);
        assertThat(listener.<Channel>readInbound()).isSameAs(second);
        assertThat(listener.<Channel>readInbound()).isNull();
        assertThat(third.isOpen()).isFalse();
        assertThat(first.isOpen()).isTrue();
        assertThat(connections.openConnections()).isEqualTo(2);
        assertThat(connections.refusedConnections()).isEqualTo(1);
    }

    @Test
    void aClosedConnection_makesRoomForTheNext() {
        EmbeddedChannel first = new EmbeddedChannel();
        listener.writeInbound(first, new EmbeddedChannel());

        first.close();
        EmbeddedChannel next = new EmbeddedChannel();
        listener.writeInbound(next);

        assertThat(connections.openConnections()).isEqualTo(2);
        assertThat(connections.refusedConnections()).isZero();
        assertThat(next.isOpen()).isTrue();
    }

    @Test
    void aReloadedCap_appliesToTheNextConnection() {
        listener.writeInbound(new EmbeddedChannel());
        cap.set(1);
        EmbeddedChannel refused = new EmbeddedChannel();

        listener.writeInbound(refused);

        assertThat(refused.isOpen()).isFalse();
        assertThat(connections.refusedConnections()).isEqualTo(1);
    }

    @Test
    void whileDraining_everyNewConnectionIsRefused_andOneAdmittedJustBeforeIsNotTracked() {
        EmbeddedChannel admittedBefore = new EmbeddedChannel();
        listener.writeInbound(admittedBefore);

        connections.drain();
        EmbeddedChannel during = new EmbeddedChannel();
        listener.writeInbound(during);

        assertThat(during.isOpen()).isFalse();
        assertThat(connections.track(admittedBefore)).as("the loop closes it, as the drain would have").isFalse();
    }
}
