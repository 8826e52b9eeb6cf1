package dev.ccr.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends a fixed number of requests over keep-alive connections with a fixed concurrency, within a time cap, and
 * records each request's total latency and time to first body byte. Every server it talks to is on 127.0.0.1.
 */
final class LoadGenerator implements AutoCloseable {
    private final Vertx vertx;
    private final HttpClientAgent client;

    LoadGenerator(Vertx vertx, int maxConnections) {
        this.vertx = vertx;
        this.client = vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true).setIdleTimeout(0),
                new PoolOptions().setHttp1MaxSize(maxConnections).setMaxWaitQueueSize(-1));
    }

    /** What one batch measured. */
    record Result(Samples latency, Samples firstByte, int errors, long wallNanos) {
        double throughputPerSecond() {
            return latency.count() / (wallNanos / 1e9);
        }
    }

    /**
     * Runs {@code requests} POSTs of {@code body} to {@code url} with {@code concurrency} in flight, stopping early at
     * {@code capMillis}.
     */
    Result run(String url, Buffer body, int requests, int concurrency, long capMillis) {
        Samples latency = new Samples();
        Samples firstByte = new Samples();
        AtomicInteger started = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        long deadline = System.nanoTime() + capMillis * 1_000_000;
        long begin = System.nanoTime();
        Promise<Void> done = Promise.promise();
        AtomicInteger workers = new AtomicInteger(concurrency);
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(url)
                .putHeader("content-type", "application/json")
                .putHeader("anthropic-version", "2023-06-01")
                .putHeader("x-api-key", "bench-key");
        vertx.runOnContext(v -> {
            for (int i = 0; i < concurrency; i++) {
                next(options, body, requests, deadline, started, errors, latency, firstByte, workers, done);
            }
        });
        done.future().await();
        return new Result(latency, firstByte, errors.get(), System.nanoTime() - begin);
    }

    private void next(
            RequestOptions options,
            Buffer body,
            int requests,
            long deadline,
            AtomicInteger started,
            AtomicInteger errors,
            Samples latency,
            Samples firstByte,
            AtomicInteger workers,
            Promise<Void> done) {
        if (started.incrementAndGet() > requests || System.nanoTime() > deadline) {
            if (workers.decrementAndGet() == 0) {
                done.tryComplete();
            }
            return;
        }
        long start = System.nanoTime();
        long[] first = {0};
        client.request(options)
                .compose(request -> request.send(body))
                .compose(response -> {
                    Promise<Void> ended = Promise.promise();
                    response.handler(chunk -> {
                        if (first[0] == 0) {
                            first[0] = System.nanoTime();
                        }
                    });
                    response.exceptionHandler(ended::tryFail);
                    response.endHandler(v -> {
                        if (response.statusCode() != 200) {
                            ended.tryFail("status " + response.statusCode());
                        } else {
                            ended.tryComplete();
                        }
                    });
                    return ended.future();
                })
                .onComplete(result -> {
                    long end = System.nanoTime();
                    if (result.succeeded()) {
                        latency.add(end - start);
                        firstByte.add((first[0] == 0 ? end : first[0]) - start);
                    } else {
                        errors.incrementAndGet();
                    }
                    next(options, body, requests, deadline, started, errors, latency, firstByte, workers, done);
                });
    }

    /** Opens {@code count} streams at once and holds them until they end; returns how many failed. */
    Future<Integer> holdStreams(String url, Buffer body, int count) {
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger remaining = new AtomicInteger(count);
        Promise<Integer> done = Promise.promise();
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(url)
                .putHeader("content-type", "application/json")
                .putHeader("x-api-key", "bench-key");
        vertx.runOnContext(v -> {
            for (int i = 0; i < count; i++) {
                client.request(options)
                        .compose(request -> request.send(body))
                        .compose(response -> response.body()
                                .map(b -> response.statusCode() == 200
                                        && b.toString().contains("message_stop")))
                        .onComplete(result -> {
                            if (result.failed() || !result.result()) {
                                failed.incrementAndGet();
                            }
                            if (remaining.decrementAndGet() == 0) {
                                done.complete(failed.get());
                            }
                        });
            }
        });
        return done.future();
    }

    @Override
    public void close() {
        client.close().await();
    }
}
