package dev.plexgate.control.logging;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;

/**
 * {@code %redactedException}: the stack trace, secrets masked; exception messages quote URLs and
 * headers too. Being a throwable converter, it also stops Logback from appending its own,
 * unredacted, trace.
 */
public final class RedactingThrowableConverter extends ThrowableProxyConverter {

    @Override
    protected String throwableProxyToString(IThrowableProxy throwable) {
        return Secrets.redact(super.throwableProxyToString(throwable));
    }
}
