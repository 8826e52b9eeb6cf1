package dev.ccr.server.proxy;

import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.error.Fault;
import dev.ccr.server.resilience.AttemptFailure;
import dev.ccr.server.resilience.Backoff;
import dev.ccr.server.resilience.RetryBudget;
import dev.ccr.server.routing.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which target one request tries next, and when (docs/RESILIENCE.md). The route's targets come in the balancer's
 * order; each is tried in turn, and one already tried is tried again only as the rule allows: a client that retries by
 * itself gets each target once, and a second try — at once — only of a connection that was never made; other clients
 * get backoff retries, unless the upstream asked for a longer wait than {@code retry.maxRetryAfterMs}, and while the
 * shared retry budget lasts. Targets refused by their circuit or their limits are skipped while another can serve.
 */
final class TargetChoice {
    /** What the request does next. */
    sealed interface Step {}

    /**
     * Try this target after {@code delay} ({@link Duration#ZERO}: at once).
     *
     * @param force its circuit is open but nothing else can serve: go anyway
     */
    record Try(Target target, Duration delay, boolean force) implements Step {}

    /** Nothing left to try: the last failure is the answer. */
    record Answer(AttemptFailure failure) implements Step {}

    /** Every target left is at its own limits: wait for room (if the client may wait) or say when to come back. */
    record AtLimits(List<String> endpoints, Duration retryAfter) implements Step {}

    private final List<Target> order;
    private final boolean selfRetrying;
    private final EffectiveConfig.Retry retry;
    private final RetryBudget budget;
    private final Map<Target, Integer> tries = new HashMap<>(4);
    private final Map<Target, AttemptFailure> failures = new HashMap<>(4);
    /** Targets whose request never left (refused connection) and that had their one immediate second try. */
    private final List<Target> reconnected = new ArrayList<>(1);
    /** Endpoints at their own limits since the last attempt started. */
    private final List<String> atLimits = new ArrayList<>(2);
    /** Targets whose circuit refused since the last attempt started, with when it would let them through. */
    private final Map<Target, Long> open = new HashMap<>(2);

    private int cursor;
    private Duration limitsWait;
    private AttemptFailure lastFailure;

    /** @param order the route's targets, as the balancer ordered them for this request */
    TargetChoice(List<Target> order, boolean selfRetrying, EffectiveConfig.Retry retry, RetryBudget budget) {
        this.order = order;
        this.selfRetrying = selfRetrying;
        this.retry = retry;
        this.budget = budget;
    }

    Step next() {
        int n = order.size();
        for (int i = 0; i < n; i++) {
            Target target = order.get((cursor + i) % n);
            if (atLimits.contains(target.endpoint().name()) || open.containsKey(target) || !mayTry(target)) {
                continue;
            }
            cursor = (cursor + i + 1) % n;
            int previous = tries.getOrDefault(target, 0);
            if (previous == 0 || selfRetrying) {
                return new Try(target, Duration.ZERO, false);
            }
            AttemptFailure before = failures.get(target);
            return new Try(target, Backoff.before(previous, before == null ? null : before.retryAfter(), retry), false);
        }
        if (lastFailure != null) {
            return new Answer(lastFailure);
        }
        if (!open.isEmpty()) {
            return soonestOpen();
        }
        return new AtLimits(List.copyOf(atLimits), limitsWait == null ? Duration.ofSeconds(1) : limitsWait);
    }

    private boolean mayTry(Target target) {
        int previous = tries.getOrDefault(target, 0);
        if (previous == 0) {
            return true;
        }
        AttemptFailure before = failures.get(target);
        if (selfRetrying) {
            if (previous > 1
                    || before == null
                    || before.fault() != Fault.NOT_CONNECTED
                    || reconnected.contains(target)) {
                return false;
            }
            reconnected.add(target);
            return true;
        }
        if (before != null && before.retryAfter() != null && before.retryAfter().compareTo(retry.maxRetryAfter()) > 0) {
            return false;
        }
        return budget.tryRetry(retry.budgetPercent());
    }

    /**
     * Every target left has its circuit open: the request goes to the one whose circuit lets requests through first,
     * rather than being refused. Breakers choose among targets; they never empty a route.
     */
    private Try soonestOpen() {
        Target soonest = null;
        long soonestAt = Long.MAX_VALUE;
        for (Map.Entry<Target, Long> each : open.entrySet()) {
            if (each.getValue() < soonestAt) {
                soonest = each.getKey();
                soonestAt = each.getValue();
            }
        }
        open.clear();
        return new Try(soonest, Duration.ZERO, true);
    }

    /** The target's circuit refused it; it would let a request through at {@code retryAtMillis}. */
    void circuitOpen(Target target, long retryAtMillis) {
        open.put(target, retryAtMillis);
    }

    /** The endpoint is at its own limits; room is expected in {@code wait}. */
    void atLimits(String endpoint, Duration wait) {
        atLimits.add(endpoint);
        if (limitsWait == null || wait.compareTo(limitsWait) < 0) {
            limitsWait = wait;
        }
    }

    /** After waiting for room: every endpoint may be asked again. */
    void limitsMayHaveRoom() {
        atLimits.clear();
        limitsWait = null;
    }

    /** An attempt on this target begins: what refused others is looked at afresh after it. */
    void started(Target target) {
        tries.merge(target, 1, Integer::sum);
        atLimits.clear();
        limitsWait = null;
        open.clear();
    }

    void failed(Target target, AttemptFailure failure) {
        lastFailure = failure;
        failures.put(target, failure);
    }

    /** Whether an earlier attempt of this request failed. */
    boolean anyFailed() {
        return lastFailure != null;
    }
}
