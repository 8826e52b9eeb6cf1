package dev.ccr.server.rpc;

import dev.ccr.protocol.status.EndpointHealth;
import dev.ccr.protocol.status.RouterLifetime;
import dev.ccr.protocol.status.RoutingState;
import dev.ccr.protocol.status.ServerStatus;
import dev.ccr.protocol.status.SharedStatus;
import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.config.Endpoint;
import dev.ccr.server.config.Overrides;
import dev.ccr.server.observe.EndpointHealthTracker;
import dev.ccr.server.runtime.RouterRuntime;
import dev.ccr.server.team.TeamStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/** The status as the protocol shows it, from the supervisor, the endpoints' health and the routing state. */
final class StatusView {
    private StatusView() {}

    static ServerStatus of(
            ProxySupervisor.Snapshot proxy,
            EndpointHealthTracker health,
            RoutingState routing,
            Path configFile,
            Overrides overrides,
            int editors,
            RouterLifetime lifetime) {
        EffectiveConfig config = proxy.config();
        RouterRuntime runtime = proxy.runtime();
        String host = runtime != null
                ? runtime.host()
                : config != null
                        ? config.host()
                        : Objects.requireNonNullElse(overrides.host(), EffectiveConfig.DEFAULT_HOST);
        int port = runtime != null
                ? runtime.port()
                : config != null
                        ? config.port()
                        : Objects.requireNonNullElse(overrides.port(), EffectiveConfig.DEFAULT_PORT);
        List<ServerStatus.EndpointStatus> endpoints = config == null
                ? List.of()
                : config.endpoints().stream()
                        .map(endpoint -> endpoint(endpoint, health.of(endpoint.name())))
                        .toList();
        return new ServerStatus(
                proxy.state(),
                host,
                port,
                runtime == null ? null : runtime.baseUrl(),
                routing,
                config == null ? null : config.defaultEndpoint(),
                endpoints,
                proxy.lastError(),
                ConfigViews.problems(proxy.configProblems()),
                configFile.toAbsolutePath().toString(),
                editors,
                lifetime,
                runtime == null || runtime.team() == null
                        ? null
                        : shared(runtime.team().status()));
    }

    /** Team mode as the tooltip shows it; the fallback count is left to the metrics (it changes with every request). */
    private static SharedStatus shared(TeamStatus team) {
        return new SharedStatus(team.store(), team.shared(), team.since(), team.lastError());
    }

    private static ServerStatus.EndpointStatus endpoint(Endpoint endpoint, EndpointHealthTracker.Health health) {
        return new ServerStatus.EndpointStatus(
                endpoint.name(),
                ConfigViews.type(endpoint.type()),
                endpoint.baseUrl().toString(),
                EndpointHealth.valueOf(health.state().name()),
                health.error());
    }
}
