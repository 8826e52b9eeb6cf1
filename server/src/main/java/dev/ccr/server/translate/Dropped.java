package dev.ccr.server.translate;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request fields a translated endpoint has no counterpart for, which the translators leave out: Claude Code's
 * {@code context_management}, tools marked {@code defer_loading} (tool search is Anthropic's), a cache mark's {@code
 * ttl}. Each kind is said once per format in the log, so a user who wonders where a feature went finds the answer,
 * without a line for every request.
 */
public final class Dropped {
    private static final Logger log = LoggerFactory.getLogger(Dropped.class);
    private static final Set<String> SAID = ConcurrentHashMap.newKeySet();

    private Dropped() {}

    /** Notes that {@code what} was left out of a request for a {@code format} endpoint. */
    public static void field(String format, String what, String why) {
        if (SAID.add(format + "\u0000" + what)) {
            log.info("{} endpoints: {} is left out of translated requests ({}); said once", format, what, why);
        }
    }
}
