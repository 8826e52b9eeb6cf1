package dev.ccr.server.proxy;

import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.error.ApiException;
import dev.ccr.server.limits.Permit;
import dev.ccr.server.resilience.AttemptFailure;
import dev.ccr.server.resilience.BreakerPass;
import dev.ccr.server.routing.MessagesRequest;
import dev.ccr.server.routing.Target;
import dev.ccr.server.upstream.UpstreamBodies;
import dev.ccr.server.upstream.UpstreamFailures;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import java.util.function.Consumer;

/**
 * One try of a request against one target, handed to a {@link Forwarder}. Until the forwarder {@linkplain #commit
 * commits} (right before the client gets its first byte), every failure is reported with {@link #failed} and the
 * {@link Dispatcher} may retry or fail over; after that, the forwarder answers the client itself, ending a broken
 * stream with an {@code event: error}.
 *
 * <p>An attempt can be given up from outside (a timeout, the client leaving): then {@link #live()} turns false and its
 * upstream request is reset; forwarders check {@code live()} in each callback before touching the client. Everything
 * happens on the request's event loop.
 */
public final class Attempt {
    private final Dispatcher.Request owner;
    private final Target target;
    private final int number;
    private final long startNanos = System.nanoTime();
    final BreakerPass pass;
    final Permit permit;
    private HttpClientRequest upstream;
    private boolean headReceived;
    private boolean committed;
    private boolean concluded;
    long firstByteTimer = -1;
    private Consumer<ApiException> abortHandler;

    Attempt(Dispatcher.Request owner, Target target, int number, BreakerPass pass, Permit permit) {
        this.owner = owner;
        this.target = target;
        this.number = number;
        this.pass = pass;
        this.permit = permit;
    }

    public Exchange exchange() {
        return owner.exchange;
    }

    public Target target() {
        return target;
    }

    public Operation operation() {
        return owner.operation;
    }

    public MessagesRequest request() {
        return owner.request;
    }

    /** 1 for the first attempt of the request. */
    public int number() {
        return number;
    }

    /** The target endpoint's timeouts. */
    public EffectiveConfig.Timeouts timeouts() {
        return target.endpoint().timeouts();
    }

    /** Whether this attempt may still act: not given up, not superseded, and the client is still there. */
    public boolean live() {
        return !concluded && !owner.exchange.clientGone() && !owner.exchange.finished();
    }

    /** Records the upstream request, so that a timeout or a departing client can cancel it. */
    public void upstreamRequest(HttpClientRequest request) {
        this.upstream = request;
        owner.exchange.upstreamRequest(request);
        if (!live()) {
            request.reset();
        }
    }

    /** The upstream's status arrived: the first-byte timeout no longer applies. */
    public void headReceived() {
        headReceived = true;
        owner.cancelFirstByteTimer(this);
    }

    /**
     * Claims the client for this attempt's answer; call right before writing the response head. From here on failures
     * are the forwarder's to report to the client.
     *
     * @param status the status the client will get
     * @return false when the attempt is no longer live: then write nothing and let go of the upstream
     */
    public boolean commit(int status) {
        if (!live()) {
            return false;
        }
        committed = true;
        owner.committed(this, status);
        return true;
    }

    /** Reports a failure before commit; the dispatcher decides between retrying, failing over and answering. */
    public void failed(AttemptFailure failure) {
        if (!committed) {
            owner.attemptFailed(this, failure);
        }
    }

    /**
     * Reads a whole upstream answer (a non-streamed one) and hands it on while this attempt is still live. An answer
     * that breaks off, grows past {@code max} bytes or goes silent past the idle timeout is reported as this attempt's
     * failure instead, so it can be retried: nothing of it reached the client.
     */
    public void readWhole(Vertx vertx, HttpClientResponse upstream, int max, Consumer<Buffer> then) {
        UpstreamBodies.read(vertx, upstream, max, timeouts().idle()).onComplete(result -> {
            owner.exchange.upstreamDone();
            if (!live()) {
                return;
            }
            if (result.failed()) {
                failed(UpstreamFailures.broken(target.endpoint(), result.cause()));
                return;
            }
            then.accept(result.result());
        });
    }

    /**
     * What to do if the request must be cut off after commit (its total timeout): typically end the stream with an
     * {@code event: error}.
     */
    public void onAbort(Consumer<ApiException> handler) {
        this.abortHandler = handler;
    }

    boolean committed() {
        return committed;
    }

    boolean concluded() {
        return concluded;
    }

    boolean hasHead() {
        return headReceived;
    }

    /** Marks the attempt over, resetting its upstream request when the dispatcher gave it up. */
    void conclude(boolean resetUpstream) {
        concluded = true;
        if (resetUpstream && upstream != null) {
            upstream.reset();
        }
    }

    /** Cuts a committed answer off; without a handler, the upstream is reset and the stream ends with an error. */
    void abort(ApiException failure) {
        if (abortHandler != null) {
            abortHandler.accept(failure);
            return;
        }
        owner.exchange.cancelUpstream();
        if (!owner.exchange.response().ended()) {
            owner.exchange.failStream(failure);
        }
    }

    long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
