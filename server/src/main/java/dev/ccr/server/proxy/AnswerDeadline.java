package dev.ccr.server.proxy;

import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.config.Endpoint;
import dev.ccr.server.error.ApiException;
import dev.ccr.server.error.ErrorType;
import io.vertx.core.Vertx;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's own promise that every request to the Messages API (count_tokens included) gets an answer: if nothing at all has been sent by a deadline
 * that every configured wait together cannot reach, the client gets a 504 instead of a connection that hangs until it
 * gives up. Retries, failover, queueing and the upstream timeouts all end well before it; it only ever fires when
 * something went wrong inside the router (an exception lost in a callback, say). Once an answer has started, the
 * upstream idle timeout bounds it instead.
 */
final class AnswerDeadline {
    private static final Logger log = LoggerFactory.getLogger(AnswerDeadline.class);
    /** What the router's own work may add on top of the configured waits. */
    static final Duration MARGIN = Duration.ofSeconds(2);

    private AnswerDeadline() {}

    /** Watches {@code exchange} until it finishes. */
    static void watch(Exchange exchange, Vertx vertx) {
        Duration deadline = of(exchange.config());
        long timer = vertx.setTimer(deadline.toMillis(), id -> {
            if (!exchange.finished() && !exchange.client().begun()) {
                log.error("[{}] no answer within {} s; answering 504", exchange.requestId(), deadline.toSeconds());
                exchange.endedByRouter();
                exchange.cancelUpstream();
                exchange.client()
                        .fail(new ApiException(
                                ErrorType.TIMEOUT,
                                "ccr: the router found no answer within " + deadline.toSeconds() + " s (request "
                                        + exchange.requestId() + "); see the router log"));
            }
        });
        exchange.onFinish((status, errorType) -> vertx.cancelTimer(timer));
    }

    /**
     * The deadline for a config: {@code timeouts.totalMs} when set; otherwise every attempt's connect and longest
     * wait (the first byte or, for whole answers, the idle timeout) with the longest backoff between attempts, and the
     * time a request may queue for a limit.
     */
    static Duration of(EffectiveConfig config) {
        Duration perAttempt = longestAttempt(config.timeouts());
        Duration total = config.timeouts().total();
        for (Endpoint endpoint : config.endpoints()) {
            Duration own = longestAttempt(endpoint.timeouts());
            perAttempt = own.compareTo(perAttempt) > 0 ? own : perAttempt;
            if (!endpoint.timeouts().total().isZero()
                    && (total.isZero() || endpoint.timeouts().total().compareTo(total) > 0)) {
                total = endpoint.timeouts().total();
            }
        }
        if (!total.isZero()) {
            return total.plus(config.limits().queueWait()).plus(MARGIN);
        }
        EffectiveConfig.Retry retry = config.retry();
        Duration pause =
                retry.maxBackoff().compareTo(retry.maxRetryAfter()) > 0 ? retry.maxBackoff() : retry.maxRetryAfter();
        return perAttempt
                .multipliedBy(retry.maxAttempts())
                .plus(pause.multipliedBy(Math.max(0, retry.maxAttempts() - 1)))
                .plus(config.limits().queueWait())
                .plus(MARGIN);
    }

    private static Duration longestAttempt(EffectiveConfig.Timeouts timeouts) {
        Duration wait = timeouts.firstByte().compareTo(timeouts.idle()) > 0 ? timeouts.firstByte() : timeouts.idle();
        return timeouts.connect().plus(wait);
    }
}
