package dev.ccr.server.proxy;

import dev.ccr.server.balance.Balancer;
import dev.ccr.server.balance.LatencyTracker;
import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.config.WireFormat;
import dev.ccr.server.error.ApiException;
import dev.ccr.server.error.ErrorType;
import dev.ccr.server.error.Fault;
import dev.ccr.server.limits.AdmissionQueue;
import dev.ccr.server.limits.FlowControl;
import dev.ccr.server.limits.LimitAdmission;
import dev.ccr.server.limits.Permit;
import dev.ccr.server.resilience.AttemptFailure;
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
    private final class Request implements Exchange.FinishListener {
        private final Exchange exchange;
        private final Operation operation;
        private final MessagesRequest request;
        private final Route route;
        private final EffectiveConfig config;
        private final Context context;
        private final boolean selfRetrying;
        private final String client;
        private final long tokens;
        private TargetChoice choice;
        private Attempt current;
        private Permit clientPermit = Permit.NONE;
        private AdmissionQueue.Waiting waiting;
        private long timer = -1;
        private long totalTimer = -1;
        private long firstByteTimer = -1;
        /** The request's total timeout, once it passed. */
        private ApiException expired;

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
            exchange.client().fail(limited(refused.reason(), refused.retryAfter(), refused.waitable()));
        }

        private void begin() {
            choice = new TargetChoice(balancer.order(route, client), selfRetrying, config.retry(), budget);
            budget.requested();
            next();
        }

        /** Starts the next attempt, waits before it, or answers with the last word. */
        private void next() {
            if (exchange.finished()) {
                return;
            }
            TargetChoice.Step step = choice.next();
            if (step instanceof TargetChoice.Try next) {
                if (next.delay().isZero()) {
                    attempt(next.target(), next.force());
                } else {
                    timer = vertx.setTimer(Math.max(1, next.delay().toMillis()), id -> {
                        timer = -1;
                        attempt(next.target(), next.force());
                    });
                }
            } else if (step instanceof TargetChoice.Answer last) {
                answer(last.failure());
            } else {
                TargetChoice.AtLimits full = (TargetChoice.AtLimits) step;
                List<String> keys =
                        full.endpoints().stream().map(FlowControl::endpointKey).toList();
                if (!queue(keys, full.retryAfter(), this::afterWaitingForRoom)) {
                    exchange.client()
                            .fail(limited(
                                    "ccr: every endpoint of route \"" + route.name() + "\" is at its limits ("
                                            + String.join(", ", full.endpoints()) + ")",
                                    full.retryAfter(),
                                    true));
                }
            }
        }

        private void afterWaitingForRoom() {
            waiting = null;
            choice.limitsMayHaveRoom();
            next();
        }

        private void attempt(Target target, boolean force) {
            if (exchange.finished()) {
                return;
            }
            String name = target.endpoint().name();
            Forwarder forwarder = forwarders.get(target.endpoint().format());
            if (forwarder == null) {
                answer(AttemptFailure.of(
                        Fault.LOCAL,
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
                choice.circuitOpen(target, refused.retryAtMillis());
                next();
                return;
            }
            BreakerPass pass = (BreakerPass) admission;
            // The endpoint's limits answer at once when counted here, a moment later when shared through Redis.
            flow.admitEndpoint(target.endpoint(), tokens).onSuccess(limit -> {
                if (exchange.finished()) {
                    pass.abandoned();
                    if (limit instanceof Permit permit) {
                        permit.release(0);
                    }
                } else if (limit instanceof LimitAdmission.Refused refused) {
                    pass.abandoned();
                    choice.atLimits(name, refused.retryAfter() == null ? Duration.ofSeconds(1) : refused.retryAfter());
                    next();
                } else {
                    launch(target, forwarder, true, pass, (Permit) limit);
                }
            });
        }

        /** Sends the attempt, its breaker pass and endpoint permit in hand. */
        private void launch(Target target, Forwarder forwarder, boolean upstream, BreakerPass pass, Permit permit) {
            String name = target.endpoint().name();
            choice.started(target);
            Attempt attempt = new Attempt(
                    exchange,
                    operation,
                    request,
                    target,
                    exchange.trace().attempts() + 1,
                    pass,
                    permit,
                    this::committed);
            current = attempt;
            if (upstream) {
                exchange.trace().attempted();
            }
            exchange.target(target);
            attempt.outcome().onComplete(outcome -> settle(attempt, outcome.result()));
            if (request.stream() && operation == Operation.MESSAGES && upstream) {
                long firstByte = attempt.timeouts().firstByte().toMillis();
                firstByteTimer = vertx.setTimer(firstByte, id -> {
                    firstByteTimer = -1;
                    if (!attempt.hasHead() && !attempt.committed()) {
                        attempt.giveUp(AttemptFailure.of(
                                Fault.TIMEOUT,
                                new ApiException(
                                        ErrorType.TIMEOUT,
                                        "ccr: endpoint \"" + name + "\" did not start answering within " + firstByte
                                                + " ms (timeouts.firstByteMs)")));
                    }
                });
            }
            try {
                forwarder.forward(attempt);
            } catch (ApiException failure) {
                attempt.failed(AttemptFailure.of(Fault.LOCAL, failure));
            }
        }

        /**
         * The one place an attempt's outcome is acted on: its breaker pass and endpoint permit are settled, its
         * target marked busy when it said "not now" or failed, and then the request moves on — another attempt, or
         * the last word — unless it is over.
         */
        private void settle(Attempt attempt, Outcome outcome) {
            if (attempt == current) {
                cancelFirstByteTimer();
            }
            String name = attempt.target().endpoint().name();
            if (outcome instanceof Outcome.ClientGone) {
                attempt.pass.abandoned();
                attempt.permit.release(exchange.trace().totalTokens());
                return;
            }
            if (outcome instanceof Outcome.Answered answered) {
                Fault fault = answered.error() == null ? null : Fault.ofEvent(answered.error());
                settlePass(
                        attempt.pass,
                        fault,
                        answered.error() == null ? null : answered.error().wireName());
                if (fault != null && (fault.busy() || fault.endpointFault())) {
                    // The answer broke or said "not now" after it began: the client's retry is better served elsewhere.
                    breakers.markBusy(name, DEFAULT_BUSY);
                }
                attempt.permit.release(exchange.trace().totalTokens());
                return;
            }
            AttemptFailure failure = ((Outcome.Failed) outcome).failure();
            settlePass(
                    attempt.pass,
                    failure.fault(),
                    failure.label() + ": " + failure.error().getMessage());
            attempt.permit.release(0);
            if (failure.fault().busy() || failure.fault().endpointFault()) {
                markBusy(attempt.target(), failure);
            }
            exchange.trace().outcome(name, failure.label());
            choice.failed(attempt.target(), failure);
            if (exchange.clientGone() || exchange.finished()) {
                return;
            }
            if (expired != null) {
                exchange.client().fail(expired);
                return;
            }
            if (!failure.retryable()) {
                answer(failure);
                return;
            }
            if (exchange.trace().attempts() >= config.retry().maxAttempts()) {
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
         * Tells the breaker what the attempt says about the endpoint: nothing when it said "not now" (busy is not
         * broken) or never left the router; a failure when it was the endpoint's fault; else that it answered.
         */
        private static void settlePass(BreakerPass pass, Fault fault, String reason) {
            if (fault == null) {
                pass.succeeded();
            } else if (fault.endpointFault()) {
                pass.failed(reason);
            } else if (fault.busy() || fault == Fault.LOCAL) {
                pass.abandoned();
            } else {
                pass.succeeded(); // it answered; the request was the problem
            }
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
        private void committed(Attempt attempt) {
            cancelFirstByteTimer();
            int status = attempt.committedStatus();
            String name = attempt.target().endpoint().name();
            if (attempt.number() > 1 || choice.anyFailed() || status >= 400) {
                exchange.trace().outcome(name, Integer.toString(status));
            }
            if (status < 400) {
                breakers.clearBusy(name);
                breakers.clearBusy(CircuitBreakers.busyKey(name, client));
                if (request.stream()) {
                    latency.record(name, attempt.elapsedMillis(), clock.millis());
                }
            }
        }

        private void cancelFirstByteTimer() {
            if (firstByteTimer >= 0) {
                vertx.cancelTimer(firstByteTimer);
                firstByteTimer = -1;
            }
        }

        /** The request's own deadline: a committed answer is cut off, an attempt under way given up, and the client told. */
        private void totalElapsed(Duration total) {
            if (exchange.finished()) {
                return;
            }
            expired = new ApiException(
                    ErrorType.TIMEOUT, "ccr: no complete answer within " + total.toMillis() + " ms (timeouts.totalMs)");
            Attempt attempt = current;
            if (attempt != null && attempt.committed() && !attempt.outcome().isComplete()) {
                attempt.abort(expired);
            } else if (attempt != null && !attempt.outcome().isComplete()) {
                attempt.giveUp(AttemptFailure.of(Fault.TIMEOUT, expired)); // settle() then answers with it
            } else {
                exchange.client().fail(expired);
            }
        }

        /** The last word: the failure as the client should see it, with the trail when there were several attempts. */
        private void answer(AttemptFailure failure) {
            if (failure.body() != null) {
                exchange.client()
                        .relayError(
                                failure.status(),
                                failure.headers(),
                                failure.body(),
                                failure.error().type().wireName());
                return;
            }
            ApiException error = failure.error();
            if (exchange.trace().attempts() > 1) {
                error = new ApiException(
                        error.type(),
                        error.status(),
                        error.getMessage() + " (after " + exchange.trace().attempts() + " attempts: "
                                + exchange.trace().trail() + ")",
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
            exchange.client().fail(error);
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
            cancelFirstByteTimer();
            if (waiting != null) {
                waiting.cancel();
                waiting = null;
            }
            Attempt attempt = current;
            if (attempt != null && !attempt.outcome().isComplete()) {
                // The answer ended by a way that did not settle the attempt: the client left, the router ended it (no
                // fault of the endpoint's, so nothing for its breaker or busy mark), or it was cut off.
                if (Exchange.CLIENT_CLOSED.equals(errorType) || exchange.wasEndedByRouter()) {
                    attempt.clientGone();
                } else {
                    attempt.answered(status, errorType == null ? null : ErrorType.byWireName(errorType, status));
                }
            }
            clientPermit.release(exchange.trace().totalTokens());
        }
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
