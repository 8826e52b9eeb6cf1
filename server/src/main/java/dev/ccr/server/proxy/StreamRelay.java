package dev.ccr.server.proxy;

import dev.ccr.server.error.ApiException;
import dev.ccr.server.error.Fault;
import dev.ccr.server.resilience.AttemptFailure;
import dev.ccr.server.translate.SseEvents;
import dev.ccr.server.upstream.SilenceWatch;
import dev.ccr.server.upstream.UpstreamFailures;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays one upstream event stream to the client, whatever its format (a {@link StreamDecoder} says what may go out).
 * Output is held until the answer's content begins — until then a failure, or an {@code event: error} right after
 * {@code message_start}, can still be tried again elsewhere and reaches the client with its real status — or until
 * {@link KeepAlive#INTERVAL_MS} passes without it; then the client's response begins and frames go out as they arrive,
 * with pings while the upstream is silent. The upstream is paused while the client cannot keep up, and a silent one is
 * given up after {@code timeouts.idleMs}.
 *
 * <p>After commit a failure ends the stream with an {@code event: error} frame after everything before it, intact —
 * unless the message was already whole, when the client simply gets its end. The attempt's outcome is settled before
 * the client's response ends, so that the dispatcher settles it with the usage the answer reported.
 */
final class StreamRelay {
    private static final Logger log = LoggerFactory.getLogger(StreamRelay.class);
    /** What may be held back before content starts (message_start and pings); past it, the stream is committed. */
    private static final int MAX_HELD = 256 << 10;

    private final Vertx vertx;
    private final Attempt attempt;
    private final Exchange exchange;
    private final ClientResponse client;
    private final HttpClientResponse upstream;
    private final StreamDecoder decoder;
    private final KeepAlive keepAlive;
    private SilenceWatch silence;
    private boolean committed;
    private boolean done;

    StreamRelay(Vertx vertx, Attempt attempt, HttpClientResponse upstream, StreamDecoder decoder) {
        this.vertx = vertx;
        this.attempt = attempt;
        this.exchange = attempt.exchange();
        this.client = exchange.client();
        this.upstream = upstream;
        this.decoder = decoder;
        this.keepAlive = new KeepAlive(vertx);
    }

    void run() {
        upstream.handler(this::onChunk);
        upstream.exceptionHandler(this::onFailure);
        upstream.endHandler(v -> onEnd());
        attempt.onAbort(failure -> fail(AttemptFailure.of(Fault.TIMEOUT, failure)));
        keepAlive.start(this::tick);
        silence = SilenceWatch.start(vertx, attempt.timeouts().idle(), this::onFailure);
        upstream.resume();
    }

    private void onChunk(Buffer chunk) {
        if (done) {
            return;
        }
        silence.heard();
        if (!attempt.live()) {
            release();
            return;
        }
        decoder.feed(chunk);
        if (decoder.failure() != null) {
            fail(decoder.failure());
            return;
        }
        if (!committed && !decoder.contentStarted() && decoder.pending() < MAX_HELD) {
            return;
        }
        if (!committed && !commit()) {
            return;
        }
        send(decoder.take());
        if (client.writeQueueFull()) {
            upstream.pause();
            silence.paused(true);
            client.drainHandler(v -> {
                silence.paused(false);
                upstream.resume();
            });
        }
    }

    private void onFailure(Throwable failure) {
        exchange.trace().upstreamDone();
        if (!done) {
            fail(UpstreamFailures.broken(attempt.target().endpoint(), failure));
        }
    }

    private void onEnd() {
        exchange.trace().upstreamDone();
        if (done) {
            return;
        }
        if (!attempt.live()) {
            stop();
            return;
        }
        decoder.end();
        if (decoder.failure() != null) {
            fail(decoder.failure());
            return;
        }
        if (!committed && !commit()) {
            return;
        }
        stop();
        send(decoder.take());
        exchange.trace().usage(decoder.usage());
        String relayedError =
                decoder.relayedError() == null ? null : decoder.relayedError().wireName();
        attempt.answered(decoder.status(), decoder.relayedError());
        client.end(relayedError);
    }

    /** Before content: commit once the upstream has been answering for an interval; after: ping when quiet. */
    private void tick() {
        if (done) {
            keepAlive.stop();
            return;
        }
        if (!committed) {
            if (!attempt.live()) {
                release();
                return;
            }
            decoder.start();
            if (!commit()) {
                return;
            }
            send(decoder.take());
        }
        if (keepAlive.quiet()) {
            send(SseEvents.pingFrame());
        }
    }

    /** Starts the client's answer; false when the attempt was given up meanwhile (then this relay lets go). */
    private boolean commit() {
        if (!attempt.commit(decoder.status())) {
            release();
            return false;
        }
        committed = true;
        client.begin(decoder.status(), decoder.upstreamHeaders(), true);
        return true;
    }

    private void send(Buffer out) {
        if (out.length() > 0) {
            client.write(out);
            keepAlive.wrote();
        }
    }

    /**
     * Before commit: the attempt fails and the dispatcher decides what next. After: what came before the fault, then
     * an error frame, unless the message was already complete.
     */
    private void fail(AttemptFailure failure) {
        if (done) {
            return;
        }
        exchange.trace().upstreamDone();
        release();
        if (!committed) {
            attempt.failed(failure);
            return;
        }
        if (exchange.finished()) {
            return;
        }
        send(decoder.take());
        exchange.trace().usage(decoder.usage());
        if (decoder.complete()) {
            // The message was whole (message_stop is out): what broke was only the upstream's trailer, such as a
            // translated stream's [DONE] marker. An error event now would follow the end of the message.
            log.debug(
                    "[{}] after the complete message: {}",
                    exchange.requestId(),
                    failure.error().getMessage());
            attempt.answered(decoder.status(), null);
            client.end(null);
            return;
        }
        ApiException error = failure.error();
        log.warn("[{}] {}", exchange.requestId(), error.getMessage());
        attempt.answered(decoder.status(), error.type());
        client.fail(error);
    }

    /** The relay is over: its timers stop. */
    private void stop() {
        done = true;
        keepAlive.stop();
        if (silence != null) {
            silence.stop();
        }
    }

    /** The relay is over before the upstream's answer: it is reset too. */
    private void release() {
        stop();
        upstream.request().reset();
    }
}
