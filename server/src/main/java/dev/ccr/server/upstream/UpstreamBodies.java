package dev.ccr.server.upstream;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import java.time.Duration;

/** Reads whole upstream bodies (error bodies, non-streamed answers) with a cap, so a broken upstream cannot exhaust memory. */
public final class UpstreamBodies {
    private UpstreamBodies() {}

    /** Thrown (as the future's failure) when a body is larger than the cap; the upstream request is reset. */
    public static final class TooLarge extends RuntimeException {
        TooLarge(long max) {
            super("the answer is larger than " + (max >> 20) + " MiB", null, false, false);
        }
    }

    /**
     * The whole body, or a failure: the connection broke, it grew past {@code max} bytes, or the upstream sent nothing
     * for {@code idle} (a {@link java.util.concurrent.TimeoutException}; the upstream request is reset).
     */
    public static Future<Buffer> read(Vertx vertx, HttpClientResponse response, int max, Duration idle) {
        Promise<Buffer> body = Promise.promise();
        String length = response.getHeader("content-length");
        long declared = parse(length);
        Buffer out = Buffer.buffer((int) Math.max(0, Math.min(declared, max)));
        if (declared > max) {
            response.request().reset();
            return Future.failedFuture(new TooLarge(max));
        }
        SilenceWatch silence = SilenceWatch.start(vertx, idle, timeout -> {
            body.tryFail(timeout); // first, so the reset's own failure does not take its place
            response.request().reset();
        });
        body.future().onComplete(done -> silence.stop());
        response.handler(chunk -> {
            silence.heard();
            if (out.length() + chunk.length() > max) {
                response.handler(null);
                response.request().reset();
                body.tryFail(new TooLarge(max));
                return;
            }
            out.appendBuffer(chunk);
        });
        response.exceptionHandler(body::tryFail);
        response.endHandler(v -> body.tryComplete(out));
        response.resume();
        return body.future();
    }

    private static long parse(String length) {
        if (length == null) {
            return -1;
        }
        try {
            return Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
