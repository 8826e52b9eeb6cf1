package dev.ccr.server.proxy;

import io.vertx.core.MultiMap;
import java.util.Locale;

/**
 * Whether the client retries failed requests by itself. Claude Code does (10 times by default) and so do the official
 * SDKs; for them every retry the router adds multiplies with theirs, so the router tries each target at most once per
 * client attempt (docs/RESILIENCE.md). Claude Code sends {@code x-stainless-retry-count: 0} on every attempt, its own
 * retries included, so the header's value says nothing; its presence, like Claude Code's own marks, does.
 */
final class ClientRetries {
    private ClientRetries() {}

    static boolean retriesItself(MultiMap headers) {
        if (headers.contains("x-stainless-retry-count") || "cli".equals(headers.get("x-app"))) {
            return true;
        }
        String agent = headers.get("user-agent");
        if (agent != null && agent.startsWith("claude-cli/")) {
            return true;
        }
        String beta = headers.get("anthropic-beta");
        return beta != null && beta.toLowerCase(Locale.ROOT).contains("claude-code-");
    }
}
