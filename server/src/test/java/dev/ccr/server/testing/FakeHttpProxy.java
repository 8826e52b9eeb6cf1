package dev.ccr.server.testing;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A forward HTTP proxy on 127.0.0.1 for tests: it takes requests in absolute form ({@code POST http://host/path}),
 * as clients send them to a proxy, and forwards them to where {@code hosts} says each host name is, so a request
 * names a host that only the proxy can reach. With credentials set it wants {@code Proxy-Authorization: Basic}.
 */
public final class FakeHttpProxy implements AutoCloseable {
    /** One forwarded request: the host it named and the proxy credentials it carried. */
    public record Seen(String host, String uri, String proxyAuthorization) {}

    private final HttpServer server;
    private final HttpClient client;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    /**
     * @param hosts host name to the {@code 127.0.0.1} port that serves it
     * @param basic the expected {@code Proxy-Authorization} value, or {@code null} for none
     */
    public FakeHttpProxy(Vertx vertx, Map<String, Integer> hosts, String basic) {
        client = vertx.createHttpClient(new HttpClientOptions());
        server = vertx.createHttpServer(
                        new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .requestHandler(request -> forward(request, hosts, basic));
        server.listen().await();
    }

    private void forward(HttpServerRequest request, Map<String, Integer> hosts, String basic) {
        URI target = URI.create(request.uri());
        seen.add(new Seen(target.getHost(), request.uri(), request.getHeader("proxy-authorization")));
        if (basic != null && !basic.equals(request.getHeader("proxy-authorization"))) {
            request.response().setStatusCode(407).end();
            return;
        }
        Integer port = hosts.get(target.getHost());
        if (target.getScheme() == null || port == null) {
            request.response().setStatusCode(502).end("the proxy cannot reach " + request.uri());
            return;
        }
        request.body().onSuccess(body -> {
            RequestOptions options = new RequestOptions()
                    .setMethod(HttpMethod.valueOf(request.method().name()))
                    .setHost("127.0.0.1")
                    .setPort(port)
                    .setURI(target.getRawPath() + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery()));
            request.headers().forEach(h -> {
                if (!h.getKey().equalsIgnoreCase("proxy-authorization")) {
                    options.addHeader(h.getKey(), h.getValue());
                }
            });
            client.request(options)
                    .compose(upstream -> upstream.send(body))
                    .compose(response -> response.body().map(answer -> {
                        request.response().setStatusCode(response.statusCode());
                        response.headers().forEach(h -> request.response().putHeader(h.getKey(), h.getValue()));
                        request.response().end(answer);
                        return (Buffer) null;
                    }))
                    .onFailure(e -> request.response().setStatusCode(502).end(String.valueOf(e)));
        });
    }

    public int port() {
        return server.actualPort();
    }

    public List<Seen> seen() {
        return seen;
    }

    @Override
    public void close() {
        server.close().await();
        client.close().await();
    }
}
