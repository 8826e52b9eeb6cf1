package dev.ccr.server.runtime;

import java.util.List;

/**
 * What a running router records about itself in {@code ~/.claude-code-router/run/<port>.json}, for {@code ccr status},
 * {@code ccr stop} and {@code ccr code} to find it.
 *
 * @param mode {@code start} or {@code lsp}
 * @param startedAt epoch milliseconds
 */
public record RunState(
        long pid,
        String host,
        int port,
        String version,
        String mode,
        long startedAt,
        String configFile,
        List<String> endpoints,
        String defaultEndpoint) {

    /** The base URL clients use. */
    public String baseUrl() {
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        if (h.equals("0.0.0.0") || h.equals("[::]")) {
            h = "127.0.0.1";
        }
        return "http://" + h + ":" + port;
    }
}
