package dev.ccr.server.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Checks and resolves the config sections about failing well: {@code timeouts}, {@code retry}, {@code breaker},
 * {@code limits} and each endpoint's capacity. Problems go to the one {@link ConfigProblems}, located by path, so the user sees
 * them all at once.
 */
final class ResilienceSections {
    private static final int MAX_MS = 24 * 3600 * 1000;

    private final ConfigProblems problems;

    ResilienceSections(ConfigProblems problems) {
        this.problems = problems;
    }

    /** Timeouts with the unset fields taken from {@code base}. */
    EffectiveConfig.Timeouts timeouts(TimeoutsConfig raw, EffectiveConfig.Timeouts base, ConfigPath at) {
        if (raw == null) {
            return base;
        }
        return new EffectiveConfig.Timeouts(
                millis(raw.connectMs(), base.connect(), 1, at.key("connectMs")),
                millis(raw.firstByteMs(), base.firstByte(), 1, at.key("firstByteMs")),
                millis(raw.idleMs(), base.idle(), 1, at.key("idleMs")),
                millis(raw.totalMs(), base.total(), 0, at.key("totalMs")));
    }

    EffectiveConfig.Retry retry(RetryConfig raw, ConfigPath at) {
        EffectiveConfig.Retry d = EffectiveConfig.Retry.DEFAULTS;
        if (raw == null) {
            return d;
        }
        Duration initial = millis(raw.initialBackoffMs(), d.initialBackoff(), 0, at.key("initialBackoffMs"));
        Duration max = millis(raw.maxBackoffMs(), d.maxBackoff(), 0, at.key("maxBackoffMs"));
        if (max.compareTo(initial) < 0) {
            problems.error(
                    at.key("maxBackoffMs"),
                    "maxBackoffMs (" + max.toMillis() + ") is below initialBackoffMs (" + initial.toMillis() + ")");
        }
        return new EffectiveConfig.Retry(
                problems.inRange(raw.maxAttempts(), d.maxAttempts(), 1, 10, at.key("maxAttempts")),
                initial,
                max,
                millis(raw.maxRetryAfterMs(), d.maxRetryAfter(), 0, at.key("maxRetryAfterMs")),
                problems.inRange(raw.budgetPercent(), d.budgetPercent(), 0, 100, at.key("budgetPercent")));
    }

    EffectiveConfig.Breaker breaker(BreakerConfig raw, ConfigPath at) {
        EffectiveConfig.Breaker d = EffectiveConfig.Breaker.DEFAULTS;
        if (raw == null) {
            return d;
        }
        Duration coolDown = millis(raw.coolDownMs(), d.coolDown(), 1, at.key("coolDownMs"));
        Duration defaultMax = coolDown.compareTo(d.maxCoolDown()) > 0 ? coolDown : d.maxCoolDown();
        Duration maxCoolDown = millis(raw.maxCoolDownMs(), defaultMax, 1, at.key("maxCoolDownMs"));
        if (maxCoolDown.compareTo(coolDown) < 0) {
            problems.error(
                    at.key("maxCoolDownMs"),
                    "maxCoolDownMs (" + maxCoolDown.toMillis() + ") is below coolDownMs (" + coolDown.toMillis() + ")");
        }
        return new EffectiveConfig.Breaker(
                !Boolean.FALSE.equals(raw.enabled()),
                problems.inRange(
                        raw.consecutiveFailures(), d.consecutiveFailures(), 1, 1000, at.key("consecutiveFailures")),
                problems.inRange(
                        raw.failureRatePercent(), d.failureRatePercent(), 1, 100, at.key("failureRatePercent")),
                problems.inRange(raw.window(), d.window(), 2, 1000, at.key("window")),
                coolDown,
                maxCoolDown);
    }

    EffectiveConfig.Limits limits(LimitsConfig raw, Set<String> tokenNames, ConfigPath at) {
        if (raw == null) {
            return EffectiveConfig.Limits.NONE;
        }
        EffectiveConfig.ClientLimits defaults =
                client(raw.defaults(), EffectiveConfig.ClientLimits.NONE, at.key("default"));
        Map<String, EffectiveConfig.ClientLimits> tokens = new LinkedHashMap<>();
        if (raw.tokens() != null) {
            raw.tokens().forEach((name, limits) -> {
                ConfigPath here = at.key("tokens").key(name);
                if (!tokenNames.contains(name)) {
                    problems.error(
                            here,
                            tokenNames.isEmpty()
                                    ? "no router token is named \"" + name + "\": auth.tokens is empty; use"
                                            + " limits.default for the local client"
                                    : "no router token is named \"" + name + "\"; allowed: "
                                            + String.join(", ", tokenNames));
                    return;
                }
                tokens.put(name, client(limits, defaults, here));
            });
        }
        Duration queueWait = millis(raw.queueMs(), Duration.ZERO, 0, at.key("queueMs"));
        int maxQueued = problems.inRange(
                raw.maxQueued(), EffectiveConfig.Limits.NONE.maxQueued(), 1, 100_000, at.key("maxQueued"));
        if (raw.maxQueued() != null && queueWait.isZero()) {
            problems.warn(at.key("maxQueued"), "maxQueued has no effect while queueMs is 0 (refuse at once)");
        }
        return new EffectiveConfig.Limits(defaults, Map.copyOf(tokens), queueWait, maxQueued);
    }

    /** One client's limits, unset fields from {@code base}. */
    private EffectiveConfig.ClientLimits client(
            ClientLimitsConfig raw, EffectiveConfig.ClientLimits base, ConfigPath at) {
        if (raw == null) {
            return base;
        }
        EffectiveConfig.RateLimits rates = new EffectiveConfig.RateLimits(
                limit(raw.maxConcurrent(), base.rates().maxConcurrent(), at.key("maxConcurrent")),
                limit(raw.requestsPerMinute(), base.rates().requestsPerMinute(), at.key("requestsPerMinute")),
                limit(raw.tokensPerMinute(), (int) base.rates().tokensPerMinute(), at.key("tokensPerMinute")));
        double budget = base.dailyBudgetUsd();
        if (raw.dailyBudgetUsd() != null) {
            budget = raw.dailyBudgetUsd();
            if (!Double.isFinite(budget) || budget <= 0) {
                problems.error(
                        at.key("dailyBudgetUsd"),
                        "a budget is a positive number of US dollars; leave it out for no budget");
                budget = 0;
            }
        }
        return new EffectiveConfig.ClientLimits(rates, budget);
    }

    /** An endpoint's own limits. */
    EffectiveConfig.RateLimits endpointLimits(EndpointConfig raw, ConfigPath at) {
        return new EffectiveConfig.RateLimits(
                limit(raw.maxConcurrent(), 0, at.key("maxConcurrent")),
                limit(raw.requestsPerMinute(), 0, at.key("requestsPerMinute")),
                limit(raw.tokensPerMinute(), 0, at.key("tokensPerMinute")));
    }

    int weight(Integer raw, ConfigPath at) {
        return problems.inRange(raw, 1, 1, 1000, at);
    }

    private int limit(Integer value, int fallback, ConfigPath at) {
        if (value == null) {
            return fallback;
        }
        if (value < 1) {
            problems.error(at, "a limit must be at least 1, got " + value + "; leave it out for no limit");
            return fallback;
        }
        return value;
    }

    private Duration millis(Integer value, Duration fallback, int min, ConfigPath at) {
        if (value == null) {
            return fallback;
        }
        if (value < min || value > MAX_MS) {
            problems.error(at, "must be between " + min + " and " + MAX_MS + " milliseconds, got " + value);
            return fallback;
        }
        return Duration.ofMillis(value);
    }
}
