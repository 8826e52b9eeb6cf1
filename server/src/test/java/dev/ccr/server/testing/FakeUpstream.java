package dev.ccr.server.testing;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * A real HTTP server on 127.0.0.1 and a free port that plays an upstream API in tests. It records every request and
 * answers with whatever the test scripted, so tests can pin both what the router sends and how it relays answers.
 */
public final class FakeUpstream implements AutoCloseable {
    private final Vertx vertx;
    private final boolean ownsVertx;
    private final HttpServer server;
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private volatile BiConsumer<RecordedRequest, HttpServerResponse> responder =
            (request, response) -> response.setStatusCode(500).end("no response scripted");

    private FakeUpstream(Vertx vertx, boolean ownsVertx) {
        this.vertx = vertx;
        this.ownsVertx = ownsVertx;
        Handler<HttpServerRequest> handler = request -> request.body().onSuccess(body -> {
            RecordedRequest recorded = new RecordedRequest(
                    request.method().name(),
                    request.path(),
                    request.query(),
                    request.headers().copy(),
                    body,
                    System.identityHashCode(request.connection()));
            requests.add(recorded);
            responder.accept(recorded, request.response());
        });
        server = vertx.createHttpServer(
                        new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .requestHandler(handler);
        server.listen().await();
    }

    /** Starts on its own Vert.x instance. */
    public static FakeUpstream start() {
        return new FakeUpstream(Vertx.vertx(), true);
    }

    public static FakeUpstream start(Vertx vertx) {
        return new FakeUpstream(vertx, false);
    }

    /** Scripts the answer to every following request. */
    public FakeUpstream respond(BiConsumer<RecordedRequest, HttpServerResponse> responder) {
        this.responder = responder;
        return this;
    }

    /** Answers every request with this status, content type and body. */
    public FakeUpstream respondWith(int status, String contentType, String body) {
        return respond((request, response) -> response.setStatusCode(status)
                .putHeader("content-type", contentType)
                .end(Buffer.buffer(body)));
    }

    /** The base URL to put in an endpoint's {@code baseUrl}, with the version segment. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.actualPort() + "/v1";
    }

    public int port() {
        return server.actualPort();
    }

    public Vertx vertx() {
        return vertx;
    }

    public List<RecordedRequest> requests() {
        return requests;
    }

    public RecordedRequest lastRequest() {
        if (requests.isEmpty()) {
            throw new AssertionError("the upstream received no request");
        }
        return requests.get(requests.size() - 1);
    }

    @Override
    public void close() {
        server.close().await();
        if (ownsVertx) {
            vertx.close().await();
        }
    }
}
