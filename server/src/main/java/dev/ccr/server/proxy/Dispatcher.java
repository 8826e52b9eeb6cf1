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
 * Gets a routed request answered: admits it under its client's limits (waiting briefly when {@code limits.queueMs}
 * allows), orders the route's targets with the {@link Balancer}, and tries them one attempt at a time through the
 * forwarder of each target's format. Before the client has its first byte, a retryable failure moves on: to the next
 * target at once, or back to one already tried after a backoff (or the upstream's {@code retry-after}).
 *
 * <p>The rule (docs/RESILIENCE.md): through the router, a client is never worse off than talking to the upstream
 * directly, and better off when the router has a choice. So:
 *
 * <ul>
 *   <li>A circuit breaker skips an endpoint only while another target can serve; when none can, the request goes to
 *       the one that recovers first. No request is refused because breakers are open.
 *   <li>Busy is not broken: a 429 or 529 marks the target busy for its {@code retry-after} (other targets go first)
 *       and never counts against its circuit. With nothing else to try, the upstream's own answer goes to the client
 *       at once, as it came.
 *   <li>A client that retries by itself (Claude Code, the official SDKs: {@link ClientRetries}) gets each target at
 *       most once per attempt of its own, so retries add up instead of multiplying; only a connection that was never
 *       made is tried again, once, at once. Other clients get {@code retry.maxAttempts}, bounded by a {@link
 *       RetryBudget} shared by all requests.
 * </ul>
 */
public final class Dispatcher {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    static final int DEFAULT_BUSY_SECONDS = 5;
    static final int MAX_BUSY_SECONDS = 60;
    private static final Duration DEFAULT_BUSY = Duration.ofSeconds(DEFAULT_BUSY_SECONDS);
    private static final Duration MAX_BUSY = Duration.ofSeconds(MAX_BUSY_SECONDS);

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
        private final boolean selfRetrying;
        private final String client;
        private final long tokens;
        private List<Target> order;
        private int cursor;
        private final Map<Target, Integer> tries = new HashMap<>(4);
        private final Map<Target, AttemptFailure> lastFailures = new HashMap<>(4);
        /** Endpoints at their own limits since the last attempt started. */
        private final List<String> refusedNow = new ArrayList<>(2);
        /** Targets whose circuit refused since the last attempt started, with when it would let them through. */
        private final Map<Target, Long> openNow = new HashMap<>(2);
        /** Targets whose request never left (refused connection) and that had their one immediate second try. */
        private final List<Target> reconnected = new ArrayList<>(1);

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
            this.selfRetrying = ClientRetries.retriesItself(exchange.request().headers());
            this.client =
                    exchange.identity() == null ? "local" : exchange.identity().displayName();
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
            flow.admitClient(client, config.limits().forClient(client), tokens).onSuccess(this::clientAdmitted);
        }

        /** The client's limits answered (at once when counted here, a moment later when shared through Redis). */
        private void clientAdmitted(LimitAdmission admission) {
            if (exchange.finished()) {
                if (admission instanceof Permit permit) {
                    permit.release(0); // answered meanwhile (the client left, or the total timeout): nothing was used
                }
                return;
            }
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
            order = balancer.order(route, client);
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
                if (refusedNow.contains(target.endpoint().name()) || openNow.containsKey(target) || !mayTry(target)) {
                    continue;
                }
                cursor = (cursor + i + 1) % n;
                int previous = tries.getOrDefault(target, 0);
                if (previous == 0 || selfRetrying) {
                    attempt(target, false);
                } else {
                    AttemptFailure before = lastFailures.get(target);
                    Duration wait =
                            Backoff.before(previous, before == null ? null : before.retryAfter(), config.retry());
                    timer = vertx.setTimer(Math.max(1, wait.toMillis()), id -> {
                        timer = -1;
                        attempt(target, false);
                    });
                }
                return;
            }
            if (lastFailure != null) {
                answer(lastFailure);
            } else if (!openNow.isEmpty()) {
                forceSoonestOpen();
            } else if (refusedByLimits && queue(endpointKeys(), refusedWait, this::retryRefused)) {
                // waiting for an endpoint to free up
            } else {
                exchange.fail(limited(
                        "ccr: every endpoint of route \"" + route.name() + "\" is at its limits ("
                                + String.join(", ", refusedNow) + ")",
                        refusedWait == null ? Duration.ofSeconds(1) : refusedWait,
                        true));
            }
        }

        /**
         * Whether the target may be tried (again). A client that retries by itself gets each target once, and a second
         * try, at once, only of a connection that was never made; other clients get backoff retries unless the upstream
         * asked for a longer wait than {@code retry.maxRetryAfterMs}, and while the retry budget lasts.
         */
        private boolean mayTry(Target target) {
            int previous = tries.getOrDefault(target, 0);
            if (previous == 0) {
                return true;
            }
            AttemptFailure before = lastFailures.get(target);
            if (selfRetrying) {
                if (previous > 1
                        || before == null
                        || before.kind() != AttemptFailure.Kind.NOT_CONNECTED
                        || reconnected.contains(target)) {
                    return false;
                }
                reconnected.add(target);
                return true;
            }
            if (before != null
                    && before.retryAfter() != null
                    && before.retryAfter().compareTo(config.retry().maxRetryAfter()) > 0) {
                return false;
            }
            if (!budget.tryRetry(config.retry().budgetPercent())) {
                log.warn(
                        "[{}] not retrying endpoint \"{}\": the retry budget is spent",
                        exchange.requestId(),
                        target.endpoint().name());
                return false;
            }
            return true;
        }

        private void retryRefused() {
            waiting = null;
            refusedNow.clear();
            refusedByLimits = false;
            refusedWait = null;
            next();
        }

        /**
         * Every target the request may still use has its circuit open: it goes to the one whose circuit lets requests
         * through first, rather than being refused. Breakers choose among targets; they never empty a route.
         */
        private void forceSoonestOpen() {
            Target soonest = null;
            long soonestAt = Long.MAX_VALUE;
            for (Map.Entry<Target, Long> open : openNow.entrySet()) {
                if (open.getValue() < soonestAt) {
                    soonest = open.getKey();
                    soonestAt = open.getValue();
                }
            }
            openNow.clear();
            attempt(soonest, true);
        }

        private void attempt(Target target, boolean force) {
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
            if (!forwarder.callsUpstream(operation)) {
                launch(target, forwarder, false, NO_BREAKER, Permit.NONE);
                return;
            }
            BreakerAdmission admission = force ? breakers.force(name) : breakers.admit(name);
            if (admission instanceof BreakerAdmission.Refused refused) {
                openNow.put(target, refused.retryAtMillis());
                next();
                return;
            }
            BreakerPass pass = (BreakerPass) admission;
            flow.admitEndpoint(target.endpoint(), tokens).onSuccess(limit -> {
                if (exchange.finished()) {
                    pass.abandoned();
                    if (limit instanceof Permit permit) {
                        permit.release(0);
                    }
                } else if (limit instanceof LimitAdmission.Refused refused) {
                    pass.abandoned();
                    refuse(name, refused.retryAfter() == null ? Duration.ofSeconds(1) : refused.retryAfter());
                    next();
                } else {
                    launch(target, forwarder, true, pass, (Permit) limit);
                }
            });
        }

        /** Sends the attempt, its breaker pass and endpoint permit in hand. */
        private void launch(Target target, Forwarder forwarder, boolean upstream, BreakerPass pass, Permit permit) {
            String name = target.endpoint().name();
            refusedNow.clear();
            openNow.clear();
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

        private void refuse(String endpoint, Duration wait) {
            refusedNow.add(endpoint);
            refusedByLimits = true;
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
            } else if (failure.kind() == AttemptFailure.Kind.LOCAL || failure.busy()) {
                attempt.pass.abandoned();
            } else {
                attempt.pass.succeeded(); // it answered; the request was the problem
            }
            attempt.permit.release(0);
            if (failure.busy() || failure.endpointFault()) {
                markBusy(target, failure);
            }
            exchange.attemptOutcome(name, failure.label());
            lastFailure = failure;
            lastFailures.put(target, failure);
            if (exchange.clientGone() || exchange.finished()) {
                return;
            }
            if (!failure.retryable()) {
                answer(failure);
                return;
            }
            if (exchange.attempts() >= config.retry().maxAttempts()) {
                log.warn(
                        "[{}] attempt {} failed ({}); no attempts left: {}",
                        exchange.requestId(),
                        attempt.number(),
                        failure.label(),
                        failure.error().getMessage());
                answer(failure);
                return;
            }
            log.warn(
                    "[{}] attempt {} failed ({}): {}",
                    exchange.requestId(),
                    attempt.number(),
                    failure.label(),
                    failure.error().getMessage());
            next();
        }

        /**
         * After a "not now" or a failure, other targets go first for as long as the upstream asked (within {@value
         * #MAX_BUSY_SECONDS} s), or {@value #DEFAULT_BUSY_SECONDS} s when it did not say: the client's own retry, and
         * the next requests, go where they can be served. A 429 on a key of the client's own speaks for that client
         * only. Whether the endpoint is broken is the circuit breaker's to say.
         */
        private void markBusy(Target target, AttemptFailure failure) {
            Duration wait = failure.retryAfter() == null ? DEFAULT_BUSY : failure.retryAfter();
            if (wait.compareTo(MAX_BUSY) > 0) {
                wait = MAX_BUSY;
            }
            String name = target.endpoint().name();
            boolean clientsKey = target.endpoint().apiKey() == null && failure.status() == 429;
            breakers.markBusy(clientsKey ? CircuitBreakers.busyKey(name, client) : name, wait);
        }

        /** From the attempt: it claims the client. */
        void committed(Attempt attempt, int status) {
            cancelFirstByteTimer(attempt);
            if (attempt.number() > 1 || lastFailure != null || status >= 400) {
                exchange.attemptOutcome(attempt.target().endpoint().name(), Integer.toString(status));
            }
            if (status < 400) {
                String name = attempt.target().endpoint().name();
                breakers.clearBusy(name);
                breakers.clearBusy(CircuitBreakers.busyKey(name, client));
                if (request.stream()) {
                    latency.record(name, attempt.elapsedMillis(), clock.millis());
                }
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
                    // The answer broke after it began: the client's retry is better served elsewhere.
                    breakers.markBusy(attempt.target().endpoint().name(), DEFAULT_BUSY);
                } else if (busyError(errorType)) {
                    attempt.pass.abandoned(); // "not now" in the middle of an answer: busy, not broken
                    breakers.markBusy(attempt.target().endpoint().name(), DEFAULT_BUSY);
                } else {
                    attempt.pass.succeeded();
                }
                attempt.permit.release(exchange.totalTokens());
            }
            clientPermit.release(exchange.totalTokens());
        }
    }

    /**
     * Whether a committed answer that ended this way speaks against the endpoint: a server error or a broken stream,
     * but not an overloaded one (busy is not broken).
     */
    static boolean upstreamFault(int status, String errorType) {
        if (errorType != null) {
            return switch (errorType) {
                case "api_error", "timeout_error" -> true;
                default -> false;
            };
        }
        return status >= 500 && status != 529;
    }

    /** Whether an answer that ended with this error type said "not now" (rate limited or overloaded). */
    static boolean busyError(String errorType) {
        return ErrorType.RATE_LIMIT.wireName().equals(errorType)
                || ErrorType.OVERLOADED.wireName().equals(errorType);
    }

    private static Map<String, String> withRetryAfter(ApiException error, Duration retryAfter) {
        if (retryAfter == null || error.headers().containsKey(RetryAfter.HEADER)) {
            return error.headers();
        }
        Map<String, String> headers = new HashMap<>(error.headers());
        headers.putAll(RetryAfter.headers(retryAfter));
        return headers;
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
