package dev.ccr.server.team;

import dev.ccr.server.cache.LocalResponseCache;
import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.limits.LocalDailySpend;
import dev.ccr.server.limits.LocalLimiter;
import dev.ccr.server.resilience.LocalCircuitBreakers;
import io.vertx.core.Vertx;
import java.time.Clock;

/**
 * Team mode (docs/TEAM.md): this instance's state, shared with the other instances through Redis. Each shared part
 * wraps the local one it replaces, which takes over while Redis cannot be used.
 */
public final class Team implements AutoCloseable {
    private final TeamLink link;
    private final SharedLimiter clients;
    private final SharedLimiter endpoints;
    private final SharedDailySpend spend;
    private final SharedCircuitBreakers breakers;
    private final SharedResponseCache cache;
    private final SharedUsage usage;

    public Team(
            Vertx vertx,
            EffectiveConfig config,
            Clock clock,
            LocalLimiter clients,
            LocalLimiter endpoints,
            LocalDailySpend spend,
            LocalCircuitBreakers breakers,
            LocalResponseCache cache) {
        this.link = new TeamLink(vertx, config.shared(), clock);
        this.clients = new SharedLimiter(vertx, link, clients, "client");
        this.endpoints = new SharedLimiter(vertx, link, endpoints, "endpoint");
        this.spend = new SharedDailySpend(vertx, link, spend, clock);
        this.breakers = new SharedCircuitBreakers(link, breakers, clock);
        this.cache = new SharedResponseCache(link, cache, config.cache());
        this.usage = new SharedUsage(vertx, link, clock);
    }

    /** Connects to Redis in the background; until then, and whenever it is unusable, the local state serves. */
    public void start() {
        link.start();
    }

    public TeamLink link() {
        return link;
    }

    public SharedLimiter clients() {
        return clients;
    }

    public SharedLimiter endpoints() {
        return endpoints;
    }

    public SharedDailySpend spend() {
        return spend;
    }

    public SharedCircuitBreakers breakers() {
        return breakers;
    }

    public SharedResponseCache cache() {
        return cache;
    }

    /** Adds finished requests to the team's daily totals; subscribe it to the priced requests. */
    public SharedUsage usage() {
        return usage;
    }

    public TeamStatus status() {
        return link.status();
    }

    @Override
    public void close() {
        link.close();
    }
}
