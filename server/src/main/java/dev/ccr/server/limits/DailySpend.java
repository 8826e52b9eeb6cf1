package dev.ccr.server.limits;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;

/**
 * What each client spent today (local time), for daily budgets. Alone, the router counts in memory, starting from
 * what the usage history says was spent before it started ({@link LocalDailySpend}); instances sharing budgets (docs/TEAM.md)
 * implement the same interface.
 */
public interface DailySpend {
    /** US dollars the client spent today. */
    double today(String client);

    /** Adds a finished request's cost to today's spend of its client. */
    void add(String client, double usd);

    /** Adds what was spent on {@code day} before counting started (from the usage history). */
    void preload(LocalDate day, Map<String, Double> spent);

    /** How long until the day ends and budgets start afresh. */
    Duration untilTomorrow();
}
