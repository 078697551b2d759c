/**
 * HTTP/1.1 as bytes, shared by both sides of the proxy: request and response heads kept as the
 * bytes that came off the wire ({@link dev.plexgate.proxy.http1.RequestHead},
 * {@link dev.plexgate.proxy.http1.ResponseHead}, their {@link dev.plexgate.proxy.http1.FieldLines}),
 * finding a head's end ({@link dev.plexgate.proxy.http1.HeadReader}) and a body's framing
 * ({@link dev.plexgate.proxy.http1.BodyDecoder}, {@link dev.plexgate.proxy.http1.BodyWriter}).
 * The pipeline handlers that use them live with their side: {@code http} for the client's
 * connection, {@code upstream} for Plex's.
 *
 * <p>Why bytes: most fields pass through untouched, and decoding every head into Netty's header
 * maps, editing the maps and encoding them again was the largest part of the event loops' Java
 * time on small requests.
 */
package dev.plexgate.proxy.http1;
