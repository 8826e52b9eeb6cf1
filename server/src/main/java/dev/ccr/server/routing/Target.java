package dev.ccr.server.routing;

import dev.ccr.server.config.Endpoint;
import java.util.Objects;

/**
 * Where one request goes.
 *
 * @param endpoint the upstream
 * @param model the model id the upstream is asked for
 * @param route why this target was chosen ({@code explicit}, {@code default}, …), shown in headers and logs
 */
public record Target(Endpoint endpoint, String model, String route) {
    /**
     * Consistent with the record's {@code equals} (equal targets have equal endpoint names), but without hashing the
     * whole endpoint: targets key the per-request maps of the retry rule, looked up several times a request.
     */
    @Override
    public int hashCode() {
        return Objects.hash(endpoint.name(), model, route);
    }
}
