package dev.ccr.server.resilience;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Endpoints (or one client's key at an endpoint) that answered "not now" — HTTP 429 or 529 — and until when other
 * targets are preferred. Expired marks are dropped as new ones arrive, so the map stays as small as the set of
 * endpoints and clients that are busy right now.
 */
final class BusyMarks {
    /** Beyond this many marks, expired ones are swept before adding another. */
    private static final int SWEEP_ABOVE = 256;

    private final Clock clock;
    private final Map<String, Long> until = new ConcurrentHashMap<>();

    BusyMarks(Clock clock) {
        this.clock = clock;
    }

    void mark(String key, Duration wait) {
        long now = clock.millis();
        if (until.size() > SWEEP_ABOVE) {
            until.values().removeIf(end -> end <= now);
        }
        until.merge(key, now + Math.max(0, wait.toMillis()), Math::max);
    }

    void clear(String key) {
        if (!until.isEmpty()) {
            until.remove(key);
        }
    }

    /** Until when {@code key} is busy, or 0 when it is not (any more). */
    long until(String key) {
        Long end = until.get(key);
        if (end == null) {
            return 0;
        }
        if (end <= clock.millis()) {
            until.remove(key, end);
            return 0;
        }
        return end;
    }

    /** Forgets the marks of endpoints no longer configured (and of their clients). */
    void retainEndpoints(java.util.Collection<String> endpoints) {
        until.keySet().removeIf(key -> {
            int separator = key.indexOf('\u0000');
            return !endpoints.contains(separator < 0 ? key : key.substring(0, separator));
        });
    }
}
