package dev.plexgate.proxy.http;

import dev.plexgate.proxy.ProxySettings;
import dev.plexgate.proxy.policy.Policy;
import dev.plexgate.proxy.upstream.UpstreamPool;

/**
 * One config generation as the request path uses it. An exchange takes the current generation
 * when its request head arrives and keeps it to the end, so a reload never changes the rules of
 * a request in flight. Immutable; shared by every event loop.
 */
public record ExchangeConfig(ProxySettings settings, UpstreamPool pool, Policy policy, ClientAddressResolver clients,
        ForwardingHeaders headers, long responseHeaderNanos, long streamIdleNanos) {

    public static ExchangeConfig of(ProxySettings settings, UpstreamPool pool, Policy policy) {
        return new ExchangeConfig(settings, pool, policy,
                new ClientAddressResolver(settings.trustedProxies(), settings.clientIpHeader()),
                new ForwardingHeaders(settings.cacheBypass(), settings.upstream().authority()),
                settings.timeouts().responseHeader().toNanos(), settings.timeouts().streamIdle().toNanos());
    }
}
