package dev.ccr.server.limits;

import dev.ccr.server.config.EffectiveConfig.RateLimits;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Limits counted in this process. A minute is sixty one-second buckets, so "requests per minute" holds for any sliding
 * minute to within a second's worth. Each key's check-and-count happens under that key's lock, which never spans I/O.
 */
public final class LocalLimiter implements Limiter {
    private static final int BUCKETS = 60;
    private static final long BUCKET_MILLIS = 1_000;

    private final Clock clock;
    private final String noun;
    private final Map<String, State> states = new ConcurrentHashMap<>();
    private final List<Consumer<String>> releaseListeners = new CopyOnWriteArrayList<>();

    /**
     * @param noun what the keys are ("client", "endpoint"), for refusal messages
     */
    public LocalLimiter(Clock clock, String noun) {
        this.clock = clock;
        this.noun = noun;
    }

    @Override
    public Future<LimitAdmission> acquire(String key, RateLimits limits, long tokens) {
        return Future.succeededFuture(admit(key, limits, tokens));
    }

    /** {@link #acquire}, answered at once. */
    public LimitAdmission admit(String key, RateLimits limits, long tokens) {
        State state = states.computeIfAbsent(key, State::new);
        if (limits.none()) {
            state.inFlight.incrementAndGet();
            return new Held(state, false, 0, 0);
        }
        long now = clock.millis();
        synchronized (state) {
            if (limits.maxConcurrent() > 0 && state.inFlight.get() >= limits.maxConcurrent()) {
                // When one finishes is unknowable; a second is a fair guess, and waiters are woken on release anyway.
                return new LimitAdmission.Refused(
                        Duration.ofSeconds(1),
                        noun + " \"" + key + "\" has " + limits.maxConcurrent() + " requests in flight (maxConcurrent)",
                        true);
            }
            if (limits.requestsPerMinute() > 0) {
                long wait = state.requests.millisUntilFits(now, 1, limits.requestsPerMinute());
                if (wait > 0) {
                    return new LimitAdmission.Refused(
                            Duration.ofMillis(wait),
                            noun + " \"" + key + "\" reached " + limits.requestsPerMinute()
                                    + " requests per minute (requestsPerMinute)",
                            true);
                }
            }
            if (limits.tokensPerMinute() > 0) {
                long wait = state.tokens.millisUntilFits(now, tokens, limits.tokensPerMinute());
                if (wait != 0) {
                    return new LimitAdmission.Refused(
                            wait < 0 ? null : Duration.ofMillis(wait),
                            wait < 0
                                    ? "the request's ~" + tokens + " tokens exceed " + noun + " \"" + key + "\"'s "
                                            + limits.tokensPerMinute() + " tokens per minute (tokensPerMinute)"
                                    : noun + " \"" + key + "\" reached " + limits.tokensPerMinute()
                                            + " tokens per minute (tokensPerMinute)",
                            wait > 0);
                }
            }
            state.inFlight.incrementAndGet();
            state.requests.add(now, 1);
            state.tokens.add(now, tokens);
        }
        return new Held(state, true, now, tokens);
    }

    @Override
    public int inFlight(String key) {
        State state = states.get(key);
        return state == null ? 0 : state.inFlight.get();
    }

    @Override
    public void onRelease(Consumer<String> listener) {
        releaseListeners.add(listener);
    }

    @Override
    public void retainOnly(Collection<String> keys) {
        states.entrySet()
                .removeIf(entry -> !keys.contains(entry.getKey())
                        && entry.getValue().inFlight.get() == 0);
    }

    /** The sum of requests counted in the last minute, for tests and status. */
    long requestsInLastMinute(String key) {
        State state = states.get(key);
        if (state == null) {
            return 0;
        }
        synchronized (state) {
            return state.requests.sum(clock.millis());
        }
    }

    /** The sum of tokens counted in the last minute. */
    long tokensInLastMinute(String key) {
        State state = states.get(key);
        if (state == null) {
            return 0;
        }
        synchronized (state) {
            return state.tokens.sum(clock.millis());
        }
    }

    private static final class State {
        final String key;
        final AtomicInteger inFlight = new AtomicInteger();
        final SlidingWindow requests = new SlidingWindow(BUCKETS, BUCKET_MILLIS);
        final SlidingWindow tokens = new SlidingWindow(BUCKETS, BUCKET_MILLIS);

        State(String key) {
            this.key = key;
        }
    }

    /** A permit counted against one key's state. */
    private final class Held extends AtomicBoolean implements Permit {
        private final State state;
        private final boolean counted;
        private final long at;
        private final long estimate;

        Held(State state, boolean counted, long at, long estimate) {
            this.state = state;
            this.counted = counted;
            this.at = at;
            this.estimate = estimate;
        }

        @Override
        public void release(long tokens) {
            if (!compareAndSet(false, true)) {
                return;
            }
            state.inFlight.decrementAndGet();
            if (counted && tokens >= 0 && tokens != estimate) {
                long now = clock.millis();
                synchronized (state) {
                    if (tokens < estimate) {
                        state.tokens.add(
                                at,
                                tokens - estimate,
                                now); // the estimate was too high: correct it where it was counted
                    } else {
                        state.tokens.add(now, tokens - estimate); // output, mostly: used as the answer came
                    }
                }
            }
            releaseListeners.forEach(listener -> listener.accept(state.key));
        }
    }
}
