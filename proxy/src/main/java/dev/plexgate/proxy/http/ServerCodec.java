package dev.plexgate.proxy.http;

import io.netty.channel.CombinedChannelDuplexHandler;

/** The client side's HTTP/1.1 codec: {@link StrictRequestDecoder} in, {@link ProxyResponseEncoder} out. */
final class ServerCodec extends CombinedChannelDuplexHandler<StrictRequestDecoder, ProxyResponseEncoder> {

    ServerCodec(int maxRequestLine, int maxHeaderSize) {
        StrictRequestDecoder decoder = new StrictRequestDecoder(maxRequestLine, maxHeaderSize);
        init(decoder, new ProxyResponseEncoder(decoder.methods));
    }
}
