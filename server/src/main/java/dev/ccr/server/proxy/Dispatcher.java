package dev.ccr.server.proxy;

import dev.ccr.server.balance.Balancer;
import dev.ccr.server.balance.LatencyTracker;
import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.config.WireFormat;
import dev.ccr.server.error.ApiException;
import dev.ccr.server.error.ErrorType;
import dev.ccr.server.limits.AdmissionQueue;
import dev.ccr.server.limits.FlowControl;
import dev.ccr.server.limits.LimitAdmission;
import dev.ccr.server.limits.Permit;
import dev.ccr.server.resilience.AttemptFailure;
import dev.ccr.server.resilience.Backoff;
import dev.ccr.server.resilience.BreakerAdmission;
import dev.ccr.server.resilience.BreakerPass;
import dev.ccr.server.resilience.CircuitBreakers;
import dev.ccr.server.resilience.RetryAfter;
import dev.ccr.server.resilience.RetryBudget;
import dev.ccr.server.routing.MessagesRequest;
import dev.ccr.server.routing.Route;
import dev.ccr.server.routing.Target;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets a routed request answered (DESIGN §5): admits it under its client's limits (waiting briefly when {@code
 * limits.queueMs} allows), orders the route's targets with the {@link Balancer}, and tries them one attempt at a time
 * through the forwarder of each target's format. Before the client has its first byte, a retryable failure moves on:
 * to the next target at once, or back to one already tried after a backoff (or the upstream's {@code retry-after}).
 * Each attempt passes the endpoint's circuit breaker and limits first, and reports its outcome to both.
 *
 * <p>Retries are bounded three ways: {@code retry.maxAttempts}, a {@link RetryBudget} shared by all requests, and, when
 * the client says it is retrying itself ({@code x-stainless-retry-count} above 0, as Claude Code sends), no target is
 * tried twice. So the router's retries add to Claude Code's instead of multiplying them.
 */
public final class Dispatcher {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private final Vertx vertx;
    private final Map<WireFormat, Forwarder> forwarders;
    private final Balancer balancer;
    private final CircuitBreakers breakers;
    private final FlowControl flow;
    private final LatencyTracker latency;
    private final RetryBudget budget;
    private final Clock clock;

    public Dispatcher(
            Vertx vertx,
            Map<WireFormat, Forwarder> forwarders,
            Balancer balancer,
            CircuitBreakers breakers,
            FlowControl flow,
            LatencyTracker latency,
            RetryBudget budget,
            Clock clock) {
        this.vertx = vertx;
        this.forwarders = Map.copyOf(forwarders);
        this.balancer = balancer;
        this.breakers = breakers;
        this.flow = flow;
        this.latency = latency;
        this.budget = budget;
        this.clock = clock;
    }

    /** Takes the request from here; the client is answered exactly once, whatever happens. */
    public void dispatch(Exchange exchange, Operation operation, MessagesRequest request, Route route) {
        new Request(exchange, operation, request, route).start();
    }

    /** One request's way through its attempts; lives on the request's event loop. */
    final class Request implements Exchange.FinishListener {
        final Exchange exchange;
        final Operation operation;
        final MessagesRequest request;
        private final Route route;
        private final EffectiveConfig config;
        private final Context context;
        private final boolean clientRetrying;
        private final long tokens;
        private List<Target> order;
        private int cursor;
        private final Map<Target, Integer> tries = new HashMap<>(4);
        private final Map<Target, AttemptFailure> lastFailures = new HashMap<>(4);
        private final List<String> refusedNow = new ArrayList<>(2);
        private Duration refusedWait;
        private boolean refusedByLimits;
        private AttemptFailure lastFailure;
        private Attempt current;
        private Permit clientPermit = Permit.NONE;
        private AdmissionQueue.Waiting waiting;
        private long timer = -1;
        private long totalTimer = -1;
        private long queueDeadline;

        Request(Exchange exchange, Operation operation, MessagesRequest request, Route route) {
            this.exchange = exchange;
            this.operation = operation;
            this.request = request;
            this.route = route;
            this.config = exchange.config();
            this.context = vertx.getOrCreateContext();
            this.clientRetrying = retryCount(exchange.request().getHeader("x-stainless-retry-count")) > 0;
            this.tokens = operation == Operation.MESSAGES ? request.estimatedInputTokens() : 0;
        }

        void start() {
            exchange.onFinish(this);
            Duration total = config.timeouts().total();
            if (!total.isZero()) {
                totalTimer = vertx.setTimer(total.toMillis(), id -> {
                    totalTimer = -1;
                    totalElapsed(total);
                });
            }
            queueDeadline = clock.millis() + config.limits().queueWait().toMillis();
            admitClient();
        }

        /** Client limits: only Messages calls count (count_tokens is free and Claude Code sends many). */
        private void admitClient() {
            waiting = null;
            if (operation != Operation.MESSAGES) {
                begin();
                return;
            }
            String client =
                    exchange.identity() == null ? "local" : exchange.identity().displayName();
            LimitAdmission admission = flow.admitClient(client, config.limits().forClient(client), tokens);
            if (admission instanceof Permit permit) {
                clientPermit = permit;
                begin();
                return;
            }
            LimitAdmission.Refused refused = (LimitAdmission.Refused) admission;
            if (refused.waitable()
                    && queue(List.of(FlowControl.clientKey(client)), refused.retryAfter(), this::admitClient)) {
                return;
            }
            exchange.fail(limited(refused.reason(), refused.retryAfter(), refused.waitable()));
        }

        private void begin() {
            order = balancer.order(route);
            budget.requested();
            next();
        }

        /** Starts the next attempt, waits before it, or answers with the last word. */
        private void next() {
            if (exchange.finished()) {
                return;
            }
            int n = order.size();
            for (int i = 0; i < n; i++) {
                Target target = order.get((cursor + i) % n);
                if (refusedNow.contains(target.endpoint().name()) || !mayTry(target)) {
                    continue;
                }
                cursor = (cursor + i + 1) % n;
                int previous = tries.getOrDefault(target, 0);
                if (previous == 0) {
                    attempt(target);
                } else {
                    AttemptFailure before = lastFailures.get(target);
                    Duration wait =
                            Backoff.before(previous, before == null ? null : before.retryAfter(), config.retry());
                    timer = vertx.setTimer(Math.max(1, wait.toMillis()), id -> {
                        timer = -1;
                        attempt(target);
                    });
                }
                return;
            }
            if (lastFailure != null) {
                answer(lastFailure);
            } else if (refusedByLimits && queue(endpointKeys(), refusedWait, this::retryRefused)) {
                // waiting for an endpoint to free up
            } else {
                unavailable();
            }
        }

        /** Whether the target may be tried (again): a client retrying itself gets each target once. */
        private boolean mayTry(Target target) {
            int previous = tries.getOrDefault(target, 0);
            if (previous == 0) {
                return true;
            }
            if (clientRetrying) {
                return false;
            }
            AttemptFailure before = lastFailures.get(target);
            return before == null
                    || before.retryAfter() == null
                    || before.retryAfter().compareTo(config.retry().maxRetryAfter()) <= 0;
        }

        private void retryRefused() {
            waiting = null;
            refusedNow.clear();
            refusedByLimits = false;
            refusedWait = null;
            next();
        }

        private void attempt(Target target) {
            if (exchange.finished()) {
                return;
            }
            String name = target.endpoint().name();
            Forwarder forwarder = forwarders.get(target.endpoint().format());
            if (forwarder == null) {
                answer(AttemptFailure.of(
                        AttemptFailure.Kind.LOCAL,
                        new ApiException(
                                ErrorType.INVALID_REQUEST,
                                "ccr: endpoint \"" + name + "\" speaks "
                                        + target.endpoint().format().name().toLowerCase(Locale.ROOT)
                                        + " format, which this build cannot translate")));
                return;
            }
            boolean upstream = forwarder.callsUpstream(operation);
            BreakerPass pass = NO_BREAKER;
            Permit permit = Permit.NONE;
            if (upstream) {
                BreakerAdmission admission = breakers.admit(name);
                if (admission instanceof BreakerAdmission.Refused refused) {
                    refuse(name, Duration.ofMillis(Math.max(1_000, refused.retryAtMillis() - clock.millis())), false);
                    next();
                    return;
                }
                pass = (BreakerPass) admission;
                LimitAdmission limit = flow.admitEndpoint(target.endpoint(), tokens);
                if (limit instanceof LimitAdmission.Refused refused) {
                    pass.abandoned();
                    refuse(name, refused.retryAfter() == null ? Duration.ofSeconds(1) : refused.retryAfter(), true);
                    next();
                    return;
                }
                permit = (Permit) limit;
            }
            refusedNow.clear();
            refusedByLimits = false;
            refusedWait = null;
            tries.merge(target, 1, Integer::sum);
            int number = exchange.attempts() + 1;
            Attempt attempt = new Attempt(this, target, number, pass, permit);
            current = attempt;
            if (upstream) {
                exchange.attempted();
            }
            exchange.target(target);
            if (request.stream() && operation == Operation.MESSAGES && upstream) {
                long firstByte = attempt.timeouts().firstByte().toMillis();
                attempt.firstByteTimer = vertx.setTimer(firstByte, id -> {
                    attempt.firstByteTimer = -1;
                    if (attempt.live() && !attempt.hasHead() && !attempt.committed()) {
                        attempt.conclude(true);
                        concluded(
                                attempt,
                                AttemptFailure.of(
                                        AttemptFailure.Kind.TIMEOUT,
                                        new ApiException(
                                                ErrorType.TIMEOUT,
                                                "ccr: endpoint \"" + name + "\" did not start answering within "
                                                        + firstByte + " ms (timeouts.firstByteMs)")));
                    }
                });
            }
            try {
                forwarder.forward(attempt);
            } catch (ApiException failure) {
                attempt.failed(AttemptFailure.of(AttemptFailure.Kind.LOCAL, failure));
            }
        }

        private void refuse(String endpoint, Duration wait, boolean byLimits) {
            refusedNow.add(endpoint);
            refusedByLimits |= byLimits;
            if (refusedWait == null || wait.compareTo(refusedWait) < 0) {
                refusedWait = wait;
            }
        }

        /** From the attempt: it failed before commit. */
        void attemptFailed(Attempt attempt, AttemptFailure failure) {
            if (attempt.concluded() || attempt != current) {
                return;
            }
            attempt.conclude(false);
            concluded(attempt, failure);
        }

        /** An attempt is over without an answer: settle its breaker pass and permit, then move on or answer. */
        private void concluded(Attempt attempt, AttemptFailure failure) {
            cancelFirstByteTimer(attempt);
            Target target = attempt.target();
            String name = target.endpoint().name();
            if (failure.endpointFault()) {
                attempt.pass.failed(failure.label() + ": " + failure.error().getMessage());
            } else if (failure.kind() == AttemptFailure.Kind.LOCAL || failure.rateLimited()) {
                attempt.pass.abandoned();
            } else {
                attempt.pass.succeeded(); // it answered; the request was the problem
            }
            attempt.permit.release(0);
            if (failure.rateLimited()
                    && failure.retryAfter() != null
                    && target.endpoint().apiKey() != null) {
                // The endpoint's own key is limited: everyone's requests would get the same answer for a while.
                breakers.pause(name, failure.retryAfter());
            }
            exchange.attemptOutcome(name, failure.label());
            lastFailure = failure;
            lastFailures.put(target, failure);
            if (exchange.clientGone() || exchange.finished()) {
                return;
            }
            String why = failure.error().getMessage();
            if (!failure.retryable()) {
                answer(failure);
            } else if (exchange.attempts() >= config.retry().maxAttempts()) {
                log.warn(
                        "[{}] attempt {} failed ({}); no attempts left: {}",
                        exchange.requestId(),
                        attempt.number(),
                        failure.label(),
                        why);
                answer(failure);
            } else if (!budget.tryRetry(config.retry().budgetPercent())) {
                log.warn(
                        "[{}] attempt {} failed ({}); the retry budget is spent: {}",
                        exchange.requestId(),
                        attempt.number(),
                        failure.label(),
                        why);
                answer(failure);
            } else {
                log.warn(
                        "[{}] attempt {} failed ({}), trying again: {}",
                        exchange.requestId(),
                        attempt.number(),
                        failure.label(),
                        why);
                next();
            }
        }

        /** From the attempt: it claims the client. */
        void committed(Attempt attempt, int status) {
            cancelFirstByteTimer(attempt);
            if (attempt.number() > 1 || lastFailure != null || status >= 400) {
                exchange.attemptOutcome(attempt.target().endpoint().name(), Integer.toString(status));
            }
            if (request.stream() && status < 400) {
                latency.record(attempt.target().endpoint().name(), attempt.elapsedMillis(), clock.millis());
            }
        }

        void cancelFirstByteTimer(Attempt attempt) {
            if (attempt.firstByteTimer >= 0) {
                vertx.cancelTimer(attempt.firstByteTimer);
                attempt.firstByteTimer = -1;
            }
        }

        private void totalElapsed(Duration total) {
            if (exchange.finished()) {
                return;
            }
            ApiException timeout = new ApiException(
                    ErrorType.TIMEOUT, "ccr: no complete answer within " + total.toMillis() + " ms (timeouts.totalMs)");
            Attempt attempt = current;
            if (attempt != null && attempt.committed()) {
                attempt.abort(timeout);
                return;
            }
            if (attempt != null && !attempt.concluded()) {
                attempt.conclude(true);
                cancelFirstByteTimer(attempt);
                attempt.pass.failed("timeout: " + timeout.getMessage());
                attempt.permit.release(0);
                exchange.attemptOutcome(attempt.target().endpoint().name(), "timeout");
            }
            exchange.fail(timeout);
        }

        /** The last word: the failure as the client should see it, with the trail when there were several attempts. */
        private void answer(AttemptFailure failure) {
            if (failure.body() != null) {
                exchange.relayError(
                        failure.status(),
                        failure.headers(),
                        failure.body(),
                        failure.error().type().wireName());
                return;
            }
            ApiException error = failure.error();
            if (exchange.attempts() > 1) {
                error = new ApiException(
                        error.type(),
                        error.status(),
                        error.getMessage() + " (after " + exchange.attempts() + " attempts: " + exchange.attemptTrail()
                                + ")",
                        withRetryAfter(error, failure.retryAfter()),
                        error.getCause());
            } else if (failure.retryAfter() != null && !error.headers().containsKey(RetryAfter.HEADER)) {
                error = new ApiException(
                        error.type(),
                        error.status(),
                        error.getMessage(),
                        withRetryAfter(error, failure.retryAfter()),
                        error.getCause());
            }
            exchange.fail(error);
        }

        /** No target could take the request: every circuit open, or every endpoint at its limits. */
        private void unavailable() {
            Duration wait = refusedWait == null ? Duration.ofSeconds(1) : refusedWait;
            String names = String.join(", ", refusedNow);
            if (refusedByLimits) {
                exchange.fail(limited(
                        "ccr: every endpoint of route \"" + route.name() + "\" is at its limits (" + names + ")",
                        wait,
                        true));
                return;
            }
            StringBuilder reasons = new StringBuilder();
            for (String endpoint : refusedNow) {
                String reason = breakers.view(endpoint).reason();
                reasons.append(reasons.length() == 0 ? "" : "; ").append(endpoint);
                if (reason != null) {
                    reasons.append(": ").append(reason);
                }
            }
            exchange.fail(new ApiException(
                    ErrorType.BAD_GATEWAY,
                    503,
                    "ccr: no endpoint of route \"" + route.name() + "\" is available now; they are skipped after"
                            + " repeated failures (" + reasons + ")",
                    RetryAfter.headers(wait),
                    null));
        }

        private ApiException limited(String reason, Duration wait, boolean retry) {
            Map<String, String> headers = new HashMap<>();
            if (wait != null) {
                headers.putAll(RetryAfter.headers(wait));
            }
            headers.put("x-should-retry", Boolean.toString(retry));
            return new ApiException(
                    ErrorType.RATE_LIMIT, 429, reason.startsWith("ccr:") ? reason : "ccr: " + reason, headers, null);
        }

        /** Waits in the admission queue, if the config allows and there is room; false when the caller must refuse. */
        private boolean queue(List<String> keys, Duration retryAfter, Runnable retry) {
            long left = queueDeadline - clock.millis();
            if (left <= 0) {
                return false;
            }
            long wait = retryAfter == null ? left : Math.min(left, retryAfter.toMillis());
            waiting = flow.queue().await(context, keys, wait, config.limits().maxQueued(), retry);
            return waiting != null;
        }

        private List<String> endpointKeys() {
            List<String> keys = new ArrayList<>(refusedNow.size());
            refusedNow.forEach(name -> keys.add(FlowControl.endpointKey(name)));
            return keys;
        }

        /** The exchange ended, whichever way: nothing may stay behind (timers, queue places, permits, probes). */
        @Override
        public void finished(int status, String errorType) {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
                timer = -1;
            }
            if (totalTimer >= 0) {
                vertx.cancelTimer(totalTimer);
                totalTimer = -1;
            }
            if (waiting != null) {
                waiting.cancel();
                waiting = null;
            }
            Attempt attempt = current;
            if (attempt != null && !attempt.concluded()) {
                attempt.conclude(false);
                cancelFirstByteTimer(attempt);
                if (!attempt.committed() || Exchange.CLIENT_CLOSED.equals(errorType)) {
                    attempt.pass.abandoned();
                } else if (upstreamFault(status, errorType)) {
                    attempt.pass.failed(errorType == null ? "HTTP " + status : errorType);
                } else {
                    attempt.pass.succeeded();
                }
                attempt.permit.release(exchange.totalTokens());
            }
            clientPermit.release(exchange.totalTokens());
        }
    }

    /** Whether a committed answer that ended this way speaks against the endpoint. */
    static boolean upstreamFault(int status, String errorType) {
        if (status >= 500) {
            return true;
        }
        return errorType != null
                && switch (errorType) {
                    case "api_error", "overloaded_error", "timeout_error", "stream_error" -> true;
                    default -> false;
                };
    }

    private static Map<String, String> withRetryAfter(ApiException error, Duration retryAfter) {
        if (retryAfter == null || error.headers().containsKey(RetryAfter.HEADER)) {
            return error.headers();
        }
        Map<String, String> headers = new HashMap<>(error.headers());
        headers.putAll(RetryAfter.headers(retryAfter));
        return headers;
    }

    static int retryCount(String header) {
        if (header == null) {
            return 0;
        }
        try {
            return Integer.parseInt(header.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** For requests that never reach an upstream: there is no breaker to tell. */
    private static final BreakerPass NO_BREAKER = new BreakerPass() {
        @Override
        public void succeeded() {}

        @Override
        public void failed(String reason) {}

        @Override
        public void abandoned() {}
    };
}
