package dev.ccr.server.team;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.json.Json;
import dev.ccr.server.observe.metrics.BreakerState;
import dev.ccr.server.resilience.BreakerAdmission;
import dev.ccr.server.resilience.BreakerPass;
import dev.ccr.server.resilience.BreakerView;
import dev.ccr.server.resilience.CircuitBreakers;
import dev.ccr.server.resilience.LocalCircuitBreakers;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Circuit breakers and busy marks that the team shares (docs/TEAM.md). Each instance counts its own outcomes with its
 * {@link LocalCircuitBreakers}; when a circuit opens or closes here, or an endpoint is marked busy or answers again,
 * the team hears it at once on its Redis channel and does the same, so an endpoint found down by one instance is
 * skipped by all. The state is also kept in two Redis hashes, read by an instance that starts (or reconnects) later.
 *
 * <p>Every decision on the request path reads this instance's memory: sharing adds no round trip. The rule of
 * docs/RESILIENCE.md holds unchanged: breakers order targets and never refuse a request by themselves. Without Redis,
 * each instance goes on with what it counts itself.
 */
public final class SharedCircuitBreakers implements CircuitBreakers {
    private final TeamLink link;
    private final LocalCircuitBreakers local;
    private final Clock clock;
    private final Script announce;
    /** Set while a change heard from the team is applied here, so it is not announced back. */
    private final ThreadLocal<Boolean> applying = ThreadLocal.withInitial(() -> false);

    private volatile Set<String> endpoints = Set.of();

    public SharedCircuitBreakers(TeamLink link, LocalCircuitBreakers local, Clock clock) {
        this.link = link;
        this.local = local;
        this.clock = clock;
        this.announce = link.script("announce");
        local.onChange((endpoint, view) -> {
            if (!applying.get()) {
                changedHere(endpoint, view);
            }
        });
        link.onMessage("open", this::heardOpen);
        link.onMessage(
                "close",
                message ->
                        apply(() -> local.adoptClosed(message.path("endpoint").asText())));
        link.onMessage(
                "busy",
                message -> local.markBusy(
                        message.path("key").asText(),
                        Duration.ofMillis(message.path("waitMs").asLong())));
        link.onMessage("clear", message -> local.clearBusy(message.path("key").asText()));
        link.onUp(this::resynchronise);
    }

    @Override
    public BreakerAdmission admit(String endpoint) {
        return local.admit(endpoint);
    }

    @Override
    public BreakerPass force(String endpoint) {
        return local.force(endpoint);
    }

    @Override
    public boolean available(String endpoint) {
        return local.available(endpoint);
    }

    @Override
    public long readyAt(String endpoint) {
        return local.readyAt(endpoint);
    }

    @Override
    public void markBusy(String key, Duration wait) {
        local.markBusy(key, wait);
        long until = clock.millis() + Math.max(0, wait.toMillis());
        ObjectNode message = Json.object().put("key", key).put("waitMs", wait.toMillis());
        tell(busyKey(), key, Long.toString(until), "busy", message);
    }

    @Override
    public void clearBusy(String key) {
        if (local.busyUntil(key) == 0) {
            return; // the usual case after a success: nothing to tell anyone
        }
        local.clearBusy(key);
        tell(busyKey(), key, "", "clear", Json.object().put("key", key));
    }

    @Override
    public long busyUntil(String key) {
        return local.busyUntil(key);
    }

    @Override
    public BreakerView view(String endpoint) {
        return local.view(endpoint);
    }

    @Override
    public void configure(EffectiveConfig.Breaker settings, Collection<String> names) {
        endpoints = Set.copyOf(names);
        local.configure(settings, names);
    }

    @Override
    public void onChange(BiConsumer<String, BreakerView> listener) {
        local.onChange(listener);
    }

    /** A circuit opened or closed here: the team follows. Half-open is each instance's own business (its probe). */
    private void changedHere(String endpoint, BreakerView view) {
        if (view.state() == BreakerState.OPEN) {
            long wait = Math.max(0, view.openUntilMillis() - clock.millis());
            String reason = view.reason() == null ? "repeated failures" : view.reason();
            ObjectNode message =
                    Json.object().put("endpoint", endpoint).put("waitMs", wait).put("reason", reason);
            ObjectNode stored =
                    Json.object().put("until", view.openUntilMillis()).put("reason", reason);
            tell(breakerKey(), endpoint, Json.write(stored), "open", message);
        } else if (view.state() == BreakerState.CLOSED) {
            tell(breakerKey(), endpoint, "", "close", Json.object().put("endpoint", endpoint));
        }
    }

    private void tell(String hash, String field, String value, String kind, ObjectNode message) {
        if (!link.up()) {
            link.fellBack();
            return;
        }
        message.put("kind", kind).put("from", link.instance());
        link.background(announce, List.of(hash), List.of(field, value, link.channel(), Json.write(message)))
                .onFailure(e -> link.fellBack());
    }

    private void heardOpen(JsonNode message) {
        String endpoint = message.path("endpoint").asText();
        if (!endpoints.contains(endpoint)) {
            return;
        }
        long until = clock.millis() + message.path("waitMs").asLong();
        String reason = "opened by another instance: " + message.path("reason").asText();
        apply(() -> local.adoptOpen(endpoint, until, reason));
    }

    private void apply(Runnable change) {
        applying.set(true);
        try {
            change.run();
        } finally {
            applying.set(false);
        }
    }

    /**
     * Redis is (back) up: take in what the team decided meanwhile, and tell it about circuits this instance opened
     * while it could not.
     */
    private void resynchronise() {
        long now = clock.millis();
        link.send(Request.cmd(Command.HGETALL).arg(breakerKey())).onSuccess(reply -> {
            for (String endpoint : keys(reply)) {
                JsonNode stored = parse(reply.get(endpoint).toString());
                if (stored == null || !endpoints.contains(endpoint)) {
                    continue;
                }
                long until = stored.path("until").asLong();
                if (until > now) {
                    String reason = "opened by another instance: "
                            + stored.path("reason").asText("repeated failures");
                    apply(() -> local.adoptOpen(endpoint, until, reason));
                }
            }
            for (String endpoint : endpoints) {
                BreakerView view = local.view(endpoint);
                if (view.state() == BreakerState.OPEN
                        && view.openUntilMillis() > now
                        && (view.reason() == null || !view.reason().startsWith("opened by another instance"))) {
                    changedHere(endpoint, view);
                }
            }
        });
        link.send(Request.cmd(Command.HGETALL).arg(busyKey())).onSuccess(reply -> {
            for (String key : keys(reply)) {
                long until;
                try {
                    until = Long.parseLong(reply.get(key).toString());
                } catch (NumberFormatException e) {
                    continue;
                }
                if (until > now) {
                    local.markBusy(key, Duration.ofMillis(until - now));
                } else {
                    link.send(Request.cmd(Command.HDEL).arg(busyKey()).arg(key));
                }
            }
        });
    }

    private static JsonNode parse(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static Set<String> keys(Response reply) {
        return reply == null || reply.size() == 0 ? Set.of() : reply.getKeys();
    }

    private String breakerKey() {
        return link.key("breakers");
    }

    private String busyKey() {
        return link.key("busy");
    }
}
