package dev.ccr.server.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccr.server.Version;
import dev.ccr.server.json.Json;
import dev.ccr.server.team.Team;
import dev.ccr.server.team.TeamStatus;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * The body of {@code GET /health}: always {@code "status": "ok"} while the router serves (a load balancer must not take
 * every instance out because Redis is down: they still answer), and in team mode a {@code shared} object saying
 * whether state is shared through Redis right now ({@code "state": "shared"}) or each instance runs on its own
 * ({@code "local"}, with the reason). The Redis address is shown without its password.
 */
final class Health {
    private Health() {}

    static Supplier<String> of(long startedAt, Team team) {
        String fixed = "{\"status\":\"ok\",\"version\":\"" + Version.current() + "\",\"startedAt\":" + startedAt + "}";
        if (team == null) {
            return () -> fixed;
        }
        return () -> {
            ObjectNode body = Json.object()
                    .put("status", "ok")
                    .put("version", Version.current())
                    .put("startedAt", startedAt);
            TeamStatus status = team.status();
            ObjectNode shared = body.putObject("shared")
                    .put("store", status.store())
                    .put("state", status.shared() ? "shared" : "local")
                    .put("since", Instant.ofEpochMilli(status.since()).toString())
                    .put("fallbacks", status.fallbacks());
            if (status.lastError() != null) {
                shared.put("error", status.lastError());
            }
            return Json.write(body);
        };
    }
}
