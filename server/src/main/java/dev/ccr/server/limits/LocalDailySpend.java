package dev.ccr.server.limits;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;

/** Daily spend in this process's memory; a new local day starts from zero. */
public final class LocalDailySpend implements DailySpend {
    private final Clock clock;
    private volatile Day day;

    private record Day(LocalDate date, Map<String, DoubleAdder> spent) {}

    public LocalDailySpend(Clock clock) {
        this.clock = clock;
        this.day = new Day(LocalDate.now(clock), new ConcurrentHashMap<>());
    }

    @Override
    public double today(String client) {
        DoubleAdder spent = current().spent.get(client);
        return spent == null ? 0 : spent.sum();
    }

    @Override
    public void add(String client, double usd) {
        if (usd > 0) {
            current().spent.computeIfAbsent(client, c -> new DoubleAdder()).add(usd);
        }
    }

    @Override
    public void preload(LocalDate date, Map<String, Double> spent) {
        Day now = current();
        if (now.date.equals(date)) {
            spent.forEach((client, usd) -> add(client, usd));
        }
    }

    @Override
    public Duration untilTomorrow() {
        ZonedDateTime now = ZonedDateTime.now(clock);
        return Duration.between(now, now.toLocalDate().plusDays(1).atStartOfDay(now.getZone()));
    }

    private Day current() {
        Day now = day;
        LocalDate today = LocalDate.now(clock);
        if (!now.date.equals(today)) {
            synchronized (this) {
                if (!day.date.equals(today)) {
                    day = new Day(today, new ConcurrentHashMap<>());
                }
                now = day;
            }
        }
        return now;
    }
}
