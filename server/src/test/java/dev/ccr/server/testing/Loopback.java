package dev.ccr.server.testing;

import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real servers one test talks to on 127.0.0.1 — fake upstreams and routers — started when the test asks for them
 * and closed after it, the last started first, whatever the test's outcome:
 *
 * <pre>{@code
 * @RegisterExtension
 * final Loopback loopback = new Loopback();
 *
 * private final FakeUpstream upstream = loopback.upstream();
 *
 * @Test
 * void something() {
 *     RouterFixture router = loopback.router(RouterFixture.anthropicConfig(upstream.baseUrl(), "k-123456"));
 *     …
 * }
 * }</pre>
 */
public final class Loopback implements AfterEachCallback {
    private final Deque<AutoCloseable> open = new ArrayDeque<>();

    /** A fake upstream on its own Vert.x instance. */
    public FakeUpstream upstream() {
        return closedAfterTheTest(FakeUpstream.start());
    }

    /** A fake upstream on a given Vert.x instance (which the test owns). */
    public FakeUpstream upstream(Vertx vertx) {
        return closedAfterTheTest(FakeUpstream.start(vertx));
    }

    /** A router on this config, its file not watched. */
    public RouterFixture router(String configJson) {
        return closedAfterTheTest(RouterFixture.start(configJson));
    }

    /** A router on this config, with what {@code ${ENV}} references resolve to, its file watched or not. */
    public RouterFixture router(String configJson, Map<String, String> environment, boolean watch) {
        return closedAfterTheTest(RouterFixture.start(configJson, environment, watch));
    }

    /** Anything else to close after the test. */
    public <T extends AutoCloseable> T closedAfterTheTest(T resource) {
        open.push(resource);
        return resource;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        Exception first = null;
        while (!open.isEmpty()) {
            try {
                open.pop().close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
