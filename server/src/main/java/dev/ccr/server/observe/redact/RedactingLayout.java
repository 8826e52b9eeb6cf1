package dev.ccr.server.observe.redact;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * The application log's layout (see {@code runtime/LogbackSetup}): the usual pattern, with every line passed through
 * the redactor, so a secret that slips into a message or an exception (a library echoing a URL or a header, say) is
 * masked anyway.
 */
public final class RedactingLayout extends PatternLayout {
    @Override
    public String doLayout(ILoggingEvent event) {
        return KnownSecrets.forApplicationLog().redact(super.doLayout(event));
    }
}
