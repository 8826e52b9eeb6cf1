package dev.ccr.server.proxy;

import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.error.ApiException;
import dev.ccr.server.error.ErrorType;
import dev.ccr.server.limits.Permit;
import dev.ccr.server.resilience.AttemptFailure;
import dev.ccr.server.resilience.BreakerPass;
import dev.ccr.server.routing.MessagesRequest;
import dev.ccr.server.routing.Target;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClientRequest;
import java.util.function.Consumer;

/**
 * One try of a request against one target, handed to the {@link Forwarder}. Until it {@linkplain #commit commits}
 * (right before the client gets its first byte) it may fail, and the {@link Dispatcher} may try again elsewhere; after
 * that the answer is the client's, and a broken stream ends with an {@code event: error}. Either way its {@link
 * #outcome} is settled exactly once — by the forwarder, or from outside (a timeout, the client leaving) — and whoever
 * comes second finds it settled and lets go.
 *
 * <p>Forwarders check {@link #live()} in each callback before touching the client. Everything happens on the request's
 * event loop.
 */
public final class Attempt {
    private final Exchange exchange;
    private final Operation operation;
    private final MessagesRequest request;
    private final Target target;
    private final int number;
    private final Consumer<Attempt> onCommit;
    private final Promise<Outcome> outcome = Promise.promise();
    private final long startNanos = System.nanoTime();
    /** The breaker's and the endpoint's leave for this attempt; the dispatcher settles both with the outcome. */
    final BreakerPass pass;

    final Permit permit;
    private HttpClientRequest upstream;
    private boolean headReceived;
    private boolean committed;
    private int committedStatus;
    private Consumer<ApiException> abortHandler;

    Attempt(
            Exchange exchange,
            Operation operation,
            MessagesRequest request,
            Target target,
            int number,
            BreakerPass pass,
            Permit permit,
            Consumer<Attempt> onCommit) {
        this.exchange = exchange;
        this.operation = operation;
        this.request = request;
        this.target = target;
        this.number = number;
        this.pass = pass;
        this.permit = permit;
        this.onCommit = onCommit;
    }

    public Exchange exchange() {
        return exchange;
    }

    public Target target() {
        return target;
    }

    public Operation operation() {
        return operation;
    }

    public MessagesRequest request() {
        return request;
    }

    /** 1 for the first attempt of the request. */
    public int number() {
        return number;
    }

    /** The target endpoint's timeouts. */
    public EffectiveConfig.Timeouts timeouts() {
        return target.endpoint().timeouts();
    }

    /** How it ended; completes once. */
    public Future<Outcome> outcome() {
        return outcome.future();
    }

    /** Whether this attempt may still act: not settled, and the client is still there. */
    public boolean live() {
        return !outcome.future().isComplete() && !exchange.clientGone() && !exchange.finished();
    }

    /** Records the upstream request, so that a timeout or a departing client can cancel it. */
    public void upstreamRequest(HttpClientRequest request) {
        this.upstream = request;
        exchange.upstreamRequest(request);
        if (!live()) {
            request.reset();
        }
    }

    /** The upstream's status arrived: the first-byte timeout no longer applies. */
    public void headReceived() {
        headReceived = true;
    }

    boolean hasHead() {
        return headReceived;
    }

    /**
     * Claims the client for this attempt's answer; call right before the answer begins. From here on failures are the
     * forwarder's to report to the client.
     *
     * @param status the status the client will get
     * @return false when the attempt is no longer live: then write nothing and let go of the upstream
     */
    public boolean commit(int status) {
        if (!live()) {
            return false;
        }
        committed = true;
        committedStatus = status;
        onCommit.accept(this);
        return true;
    }

    /** The status the client got, once committed. */
    int committedStatus() {
        return committedStatus;
    }

    public boolean committed() {
        return committed;
    }

    /** It failed before commit: the dispatcher decides between trying again and answering with this. */
    public void failed(AttemptFailure failure) {
        if (!committed) {
            outcome.tryComplete(new Outcome.Failed(failure));
        }
    }

    /**
     * Its answer is over (call before ending the client's response, so the outcome is settled with the usage the
     * answer reported).
     *
     * @param error how a stream ended when not cleanly, else {@code null}
     */
    public void answered(int status, ErrorType error) {
        outcome.tryComplete(new Outcome.Answered(status, error));
    }

    /** Given up from outside before commit (a timeout): the upstream request is reset. */
    void giveUp(AttemptFailure failure) {
        if (outcome.tryComplete(new Outcome.Failed(failure)) && upstream != null) {
            upstream.reset();
        }
    }

    /** The client left: whatever the attempt was doing no longer matters. */
    void clientGone() {
        outcome.tryComplete(new Outcome.ClientGone());
    }

    /**
     * What to do if the answer must be cut off after commit (the request's total timeout): the relay ends the stream
     * with an {@code event: error} and settles the outcome.
     */
    public void onAbort(Consumer<ApiException> handler) {
        this.abortHandler = handler;
    }

    /** Cuts a committed answer off; without a relay to do it, the upstream is reset and the answer ends in an error. */
    void abort(ApiException failure) {
        if (abortHandler != null) {
            abortHandler.accept(failure);
            return;
        }
        exchange.cancelUpstream();
        answered(committedStatus, failure.type());
        exchange.client().fail(failure);
    }

    long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
