package dev.ccr.server.testing;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when told: limits, breakers and cache expiry tested over minutes without waiting. */
public final class ManualClock extends Clock {
    private final AtomicLong millis;
    private final ZoneId zone;

    public ManualClock(Instant start) {
        this(start.toEpochMilli(), ZoneOffset.UTC);
    }

    private ManualClock(long millis, ZoneId zone) {
        this.millis = new AtomicLong(millis);
        this.zone = zone;
    }

    public void advance(Duration step) {
        millis.addAndGet(step.toMillis());
    }

    @Override
    public long millis() {
        return millis.get();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis.get());
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId other) {
        return new ManualClock(millis.get(), other);
    }

    /** The same time for Caffeine, in nanoseconds. */
    public Ticker ticker() {
        return () -> millis.get() * 1_000_000;
    }
}
