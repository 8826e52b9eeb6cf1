package dev.ccr.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.RawHttp;
import dev.ccr.server.testing.RouterFixture;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every route, however its path is spelled, passes the same Host, Origin and router token checks: a trailing slash, a
 * doubled slash, a dot segment or a percent-encoded letter must not reach a handler that the plain path guards.
 */
class PathVariantsTest {
    private static final String TOKEN = "team-token-0123456789";
    private static final String BODY = "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[]}";
    private static final List<String[]> ROUTES = List.of(
            new String[] {"GET", "/metrics"},
            new String[] {"GET", "/ccr/stats"},
            new String[] {"GET", "/ccr/stats/recent"},
            new String[] {"GET", "/ccr/stats/usage"},
            new String[] {"GET", "/v1/models"},
            new String[] {"POST", "/v1/messages"},
            new String[] {"POST", "/v1/messages/count_tokens"},
            new String[] {"POST", "/v1/v1/messages"},
            new String[] {"GET", "/no/such/route"});
    private static FakeUpstream upstream;
    private static RouterFixture router;

    @BeforeAll
    static void start() {
        upstream = FakeUpstream.start().respondWith(200, "application/json", "{\"input_tokens\":1}");
        router = RouterFixture.start(
                """
                {"auth": {"tokens": [{"name": "alice", "token": "%s"}], "allowClientKeys": false},
                 "endpoints": [{"name": "a", "type": "anthropic", "baseUrl": "%s", "apiKey": "sk-endpoint-key"}]}"""
                        .formatted(TOKEN, upstream.baseUrl()));
    }

    @AfterAll
    static void stop() {
        router.close();
        upstream.close();
    }

    /** The same path spelled the ways a normalising router might still route to the same handler. */
    static List<String> variants(String path) {
        String last = path.substring(path.lastIndexOf('/') + 1);
        String parent = path.substring(0, path.lastIndexOf('/'));
        String encoded = parent + "/%" + Integer.toHexString(last.charAt(0)) + last.substring(1);
        return List.of(
                path,
                path + "/",
                path + "//",
                path + "/.",
                path + "/%2e",
                path + "/%2E/",
                "/" + path,
                "/." + path,
                "/x/.." + path,
                "/%2e" + path,
                encoded,
                path + "?x=1",
                path + "/?x=1");
    }

    @Test
    void aForeignHostIsRefusedOnEverySpellingOfEveryRoute() {
        List<String> leaks = new ArrayList<>();
        for (String[] route : ROUTES) {
            for (String path : variants(route[1])) {
                RawHttp.Reply reply = RawHttp.request(
                        router.port(),
                        route[0],
                        path,
                        "evil.example",
                        "Authorization: Bearer " + TOKEN + "\r\n",
                        body(route));
                if (reply.status() != 403) {
                    leaks.add(route[0] + " " + path + " -> " + reply.status());
                }
            }
        }
        assertThat(leaks).isEmpty();
    }

    @Test
    void aForeignOriginIsRefusedOnEverySpellingOfEveryRoute() {
        List<String> leaks = new ArrayList<>();
        for (String[] route : ROUTES) {
            for (String path : variants(route[1])) {
                RawHttp.Reply reply = RawHttp.request(
                        router.port(),
                        route[0],
                        path,
                        "127.0.0.1",
                        "Origin: https://evil.example\r\nAuthorization: Bearer " + TOKEN + "\r\n",
                        body(route));
                if (reply.status() != 403) {
                    leaks.add(route[0] + " " + path + " -> " + reply.status());
                }
            }
        }
        assertThat(leaks).isEmpty();
    }

    @Test
    void noSpellingOfAnyRouteIsServedWithoutARouterToken() {
        List<String> leaks = new ArrayList<>();
        for (String[] route : ROUTES) {
            for (String path : variants(route[1])) {
                RawHttp.Reply reply = RawHttp.request(router.port(), route[0], path, "localhost", "", body(route));
                if (reply.status() != 401) {
                    leaks.add(route[0] + " " + path + " -> " + reply.status());
                }
            }
        }
        assertThat(leaks).isEmpty();
    }

    @Test
    void withTheTokenThePlainPathsAreServed() {
        for (String[] route : ROUTES.subList(0, ROUTES.size() - 1)) {
            RawHttp.Reply reply = RawHttp.request(
                    router.port(),
                    route[0],
                    route[1],
                    "localhost",
                    "Authorization: Bearer " + TOKEN + "\r\n",
                    body(route));
            assertThat(reply.status()).as(route[0] + " " + route[1]).isEqualTo(200);
        }
        assertThat(RawHttp.request(router.port(), "GET", "/metrics/", "localhost", "x-api-key: " + TOKEN + "\r\n", null)
                        .status())
                .as("only the exact path exists")
                .isEqualTo(404);
    }

    @Test
    void healthAndTheBaseUrlStayOpenAndCheap() {
        assertThat(RawHttp.request(router.port(), "GET", "/health", "localhost", "", null)
                        .status())
                .isEqualTo(200);
        assertThat(RawHttp.request(router.port(), "HEAD", "/", "localhost", "", null)
                        .status())
                .isEqualTo(200);
        assertThat(RawHttp.request(router.port(), "HEAD", "/v1", "localhost", "", null)
                        .status())
                .isEqualTo(200);
    }

    private static String body(String[] route) {
        return route[0].equals("POST") ? BODY : null;
    }
}
