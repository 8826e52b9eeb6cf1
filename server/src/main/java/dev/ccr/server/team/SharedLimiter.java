package dev.ccr.server.team;

import dev.ccr.server.config.EffectiveConfig.RateLimits;
import dev.ccr.server.limits.LimitAdmission;
import dev.ccr.server.limits.Limiter;
import dev.ccr.server.limits.LocalLimiter;
import dev.ccr.server.limits.Permit;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Limits counted in Redis for the whole team (docs/TEAM.md), with the semantics of {@link LocalLimiter}: a sliding
 * minute of one-second buckets for requests and tokens, and requests in flight. Each admission is one Lua script, so
 * checking and counting are one atomic step whichever instance asks. Requests in flight are leases that this instance
 * renews while they run; the leases of an instance that died expire within {@link #LEASE}, and its slots come back.
 *
 * <p>Only a {@code maxConcurrent} limit takes a lease, and only a lease or a token count to correct needs a call at
 * the end of a request. Keys without limits never reach Redis (their requests in flight are counted here, for balancing and metrics).
 * While Redis cannot answer in time, admission falls back to this instance's own {@link LocalLimiter}: limits then
 * hold per instance.
 */
public final class SharedLimiter implements Limiter {
    static final Duration LEASE = Duration.ofSeconds(30);

    private final TeamLink link;
    private final LocalLimiter local;
    private final String noun;
    private final long leaseMillis;
    private final Script acquire;
    private final Script release;
    private final Script renew;
    private final AtomicLong sequence = new AtomicLong();
    /** Shared permits this instance holds, per key (lease names), for renewal and {@link #inFlight}. */
    private final Map<String, Set<String>> held = new ConcurrentHashMap<>();

    private final Map<String, AtomicInteger> sharedInFlight = new ConcurrentHashMap<>();
    private final List<Consumer<String>> releaseListeners = new CopyOnWriteArrayList<>();

    /**
     * @param noun what the keys are ("client", "endpoint"), for refusal messages and Redis keys
     */
    public SharedLimiter(Vertx vertx, TeamLink link, LocalLimiter local, String noun) {
        this(vertx, link, local, noun, LEASE);
    }

    SharedLimiter(Vertx vertx, TeamLink link, LocalLimiter local, String noun, Duration lease) {
        this.link = link;
        this.local = local;
        this.noun = noun;
        this.leaseMillis = lease.toMillis();
        this.acquire = link.script("acquire");
        this.release = link.script("release");
        this.renew = link.script("renew");
        vertx.setPeriodic(Math.max(100, leaseMillis / 3), id -> renewLeases());
    }

    @Override
    public Future<LimitAdmission> acquire(String key, RateLimits limits, long tokens) {
        if (limits.none()) {
            return local.acquire(key, limits, tokens);
        }
        if (!link.up()) {
            link.fellBack();
            return local.acquire(key, limits, tokens);
        }
        String lease = link.instance() + ":" + sequence.incrementAndGet();
        return link.eval(
                        acquire,
                        List.of(windowKey(key, "requests"), windowKey(key, "tokens"), windowKey(key, "leases")),
                        List.of(
                                limits.maxConcurrent(),
                                limits.requestsPerMinute(),
                                limits.tokensPerMinute(),
                                Math.max(0, tokens),
                                lease,
                                leaseMillis),
                        late -> {
                            // Admitted after this instance had given up waiting and counted the request itself: the
                            // request ran (it counts in the window), but the lease must not hold a slot.
                            if (late.get(0).toInteger() == 0 && limits.maxConcurrent() > 0) {
                                link.background(
                                        release,
                                        List.of(windowKey(key, "tokens"), windowKey(key, "leases")),
                                        List.of(lease, late.get(1).toLong(), 0L));
                            }
                        })
                .map(reply -> answer(reply, key, limits, tokens, lease))
                .recover(failure -> {
                    link.fellBack();
                    return local.acquire(key, limits, tokens);
                });
    }

    private LimitAdmission answer(Response reply, String key, RateLimits limits, long tokens, String lease) {
        int code = reply.get(0).toInteger();
        long value = reply.get(1).toLong();
        if (code == 0) {
            boolean leased = limits.maxConcurrent() > 0;
            if (leased) {
                // Added inside compute, so never to a set renewLeases() is dropping as empty (it would not be renewed).
                held.compute(key, (k, leases) -> {
                    Set<String> into = leases == null ? ConcurrentHashMap.newKeySet() : leases;
                    into.add(lease);
                    return into;
                });
            }
            sharedInFlight.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            return new Held(key, leased ? lease : null, value, limits.tokensPerMinute() > 0 ? Math.max(0, tokens) : -1);
        }
        String who = noun + " \"" + key + "\"";
        return switch (code) {
            case 1 ->
                new LimitAdmission.Refused(
                        Duration.ofMillis(value),
                        who + " has " + limits.maxConcurrent() + " requests in flight across the team (maxConcurrent)",
                        true);
            case 2 ->
                new LimitAdmission.Refused(
                        Duration.ofMillis(value),
                        who + " reached " + limits.requestsPerMinute()
                                + " requests per minute across the team (requestsPerMinute)",
                        true);
            default ->
                value < 0
                        ? new LimitAdmission.Refused(
                                null,
                                "the request's ~" + tokens + " tokens exceed " + who + "'s " + limits.tokensPerMinute()
                                        + " tokens per minute (tokensPerMinute)",
                                false)
                        : new LimitAdmission.Refused(
                                Duration.ofMillis(value),
                                who + " reached " + limits.tokensPerMinute()
                                        + " tokens per minute across the team (tokensPerMinute)",
                                true);
        };
    }

    @Override
    public int inFlight(String key) {
        AtomicInteger shared = sharedInFlight.get(key);
        return local.inFlight(key) + (shared == null ? 0 : shared.get());
    }

    @Override
    public void onRelease(Consumer<String> listener) {
        local.onRelease(listener);
        releaseListeners.add(listener);
    }

    @Override
    public void retainOnly(Collection<String> keys) {
        local.retainOnly(keys);
        sharedInFlight
                .entrySet()
                .removeIf(e -> !keys.contains(e.getKey()) && e.getValue().get() == 0);
    }

    private String windowKey(String key, String what) {
        return link.key("limit:" + noun + ":" + key + ":" + what);
    }

    /** Requests still running keep their slots: their leases are renewed well before they expire. */
    private void renewLeases() {
        if (!link.up()) {
            return;
        }
        held.forEach((key, leases) -> {
            List<Object> args = new ArrayList<>(leases.size() + 1);
            args.add(leaseMillis);
            args.addAll(leases);
            if (args.size() > 1) {
                link.background(renew, List.of(windowKey(key, "leases")), args);
            }
        });
        held.keySet().forEach(key -> held.computeIfPresent(key, (k, leases) -> leases.isEmpty() ? null : leases));
    }

    /** A slot held in Redis. */
    private final class Held extends AtomicBoolean implements Permit {
        private final String key;
        /** The lease that holds a slot while the request runs; {@code null} without a {@code maxConcurrent} limit. */
        private final String lease;

        private final long bucket;
        /** The tokens counted at admission; -1 when tokens are not limited (nothing to correct). */
        private final long estimate;

        Held(String key, String lease, long bucket, long estimate) {
            this.key = key;
            this.lease = lease;
            this.bucket = bucket;
            this.estimate = estimate;
        }

        @Override
        public void release(long tokens) {
            if (!compareAndSet(false, true)) {
                return;
            }
            if (lease != null) {
                Set<String> leases = held.get(key);
                if (leases != null) {
                    leases.remove(lease);
                }
            }
            AtomicInteger count = sharedInFlight.get(key);
            if (count != null) {
                count.decrementAndGet();
            }
            long correction = estimate < 0 || tokens < 0 ? 0 : tokens - estimate;
            if (lease != null || correction != 0) {
                // If Redis cannot be told now, the lease expires on its own.
                link.background(
                        release,
                        List.of(windowKey(key, "tokens"), windowKey(key, "leases")),
                        List.of(lease == null ? "" : lease, bucket, correction));
            }
            releaseListeners.forEach(listener -> listener.accept(key));
        }
    }
}
