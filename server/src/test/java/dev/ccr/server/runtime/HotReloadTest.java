package dev.ccr.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ccr.server.config.ConfigException;
import dev.ccr.server.config.ConfigLoader;
import dev.ccr.server.config.Overrides;
import dev.ccr.server.testing.AnthropicSse;
import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.Http;
import dev.ccr.server.testing.RouterFixture;
import dev.ccr.server.upstream.EndpointCredentials;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The config file is watched: valid edits apply live without dropping requests; invalid ones change nothing. */
class HotReloadTest {
    private static final Map<String, String> HEADERS = Map.of("x-api-key", "client-key");

    @Test
    void aValidEditAppliesWithoutRestartAndWithoutDroppingAStreamInFlight() throws Exception {
        try (FakeUpstream first = FakeUpstream.start();
                FakeUpstream second = FakeUpstream.start();
                RouterFixture router = RouterFixture.start(
                        RouterFixture.anthropicConfig(first.baseUrl(), "k-first-1"), Map.of(), true)) {
            List<String> frames = AnthropicSse.textAnswer("m", 5, "slow", " answer");
            CompletableFuture<Void> release = new CompletableFuture<>();
            first.respond((request, response) -> {
                if (!request.bodyText().contains("\"stream\":true")) {
                    response.putHeader("content-type", "application/json").end("{\"from\":\"first\"}");
                    return;
                }
                response.setChunked(true).putHeader("content-type", "text/event-stream");
                response.write(frames.get(0));
                release.thenRun(() -> first.vertx().runOnContext(v -> {
                    frames.subList(1, frames.size()).forEach(response::write);
                    response.end();
                }));
            });
            second.respondWith(200, "application/json", "{\"from\":\"second\"}");

            CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(
                    () -> Http.post(router.baseUrl() + "/v1/messages", "{\"model\":\"m\",\"stream\":true}", HEADERS));
            await().atMost(Duration.ofSeconds(10)).until(() -> first.requests().size() == 1);

            router.rewriteConfig(RouterFixture.anthropicConfig(second.baseUrl(), "k-second-2"));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> Http.post(router.baseUrl() + "/v1/messages", "{\"model\":\"m\"}", HEADERS)
                            .body()
                            .contains("second"));
            assertThat(second.lastRequest().header("x-api-key")).isEqualTo("k-second-2");

            release.complete(null);
            HttpResponse<String> finished = inFlight.get(10, TimeUnit.SECONDS);
            assertThat(finished.statusCode()).isEqualTo(200);
            assertThat(finished.body()).isEqualTo(String.join("", frames));
        }
    }

    @Test
    void anEditSavedWhileTheRouterStartsIsNotMissed() throws Exception {
        try (FakeUpstream first = FakeUpstream.start();
                FakeUpstream second = FakeUpstream.start()) {
            Path file = Files.createTempDirectory("ccr-test").resolve("config.json");
            Files.writeString(file, RouterFixture.anthropicConfig(first.baseUrl(), "k-first-1"));
            ConfigLoader loader = new ConfigLoader(name -> null);
            Overrides overrides = new Overrides(0, null, false);
            var loaded = loader.load(file, overrides);
            // Saved after the router read the file and before it watches it: no file event will ever tell of it.
            Files.writeString(file, RouterFixture.anthropicConfig(second.baseUrl(), "k-second-2"));

            RouterRuntime runtime = RouterRuntime.start(
                    loaded.config(),
                    new RouterRuntime.Options(
                            file,
                            overrides,
                            loader,
                            true,
                            null,
                            "test",
                            1,
                            EndpointCredentials.CONFIG_ONLY,
                            file.resolveSibling("home")));
            try {
                await().atMost(Duration.ofSeconds(10))
                        .until(
                                () -> runtime.config()
                                        .current()
                                        .endpoints()
                                        .get(0)
                                        .baseUrl()
                                        .toString(),
                                url -> url.startsWith(second.baseUrl()));
            } finally {
                runtime.stop(Duration.ZERO);
            }
        }
    }

    @Test
    void reloadingAnUnchangedConfigChangesNothing() {
        try (FakeUpstream upstream = FakeUpstream.start();
                RouterFixture router =
                        RouterFixture.start(RouterFixture.anthropicConfig(upstream.baseUrl(), "k-123456"))) {
            List<Object> changes = new CopyOnWriteArrayList<>();
            router.runtime().config().onChange(changes::add);
            var before = router.runtime().config().current();

            router.runtime().reload().await();

            // The editor's edits are applied, then written; the watcher's echo of that write must not apply twice.
            assertThat(changes).isEmpty();
            assertThat(router.runtime().config().current()).isSameAs(before);
        }
    }

    @Test
    void anInvalidEditKeepsTheRunningConfigAndReportsWhereTheProblemIs() {
        try (FakeUpstream upstream = FakeUpstream.start().respondWith(200, "application/json", "{\"ok\":1}");
                RouterFixture router = RouterFixture.start(
                        RouterFixture.anthropicConfig(upstream.baseUrl(), "k-123456"), Map.of(), true)) {
            List<ConfigException> reported = new CopyOnWriteArrayList<>();
            router.runtime().onReloadFailure(reported::add);

            router.rewriteConfig(
                    "{\n  \"endpoints\": [\n    {\"name\": \"a\", \"type\": \"anthropik\", \"baseUrl\": \"x\"}\n]}");

            await().atMost(Duration.ofSeconds(10)).until(() -> !reported.isEmpty());
            assertThat(reported.get(0).getMessage())
                    .contains(router.configFile() + ":3:")
                    .contains("$.endpoints[0].type: \"anthropik\" is not allowed");
            assertThat(Http.post(router.baseUrl() + "/v1/messages", "{\"model\":\"m\"}", HEADERS)
                            .statusCode())
                    .as("still serving with the previous config")
                    .isEqualTo(200);
            assertThat(router.runtime().config().current().endpoints().get(0).name())
                    .isEqualTo("anthropic");
        }
    }

    @Test
    void aDeletedConfigFileKeepsTheRunningConfigAndIsPickedUpAgainWhenItIsBack() throws Exception {
        try (FakeUpstream first = FakeUpstream.start().respondWith(200, "application/json", "{\"from\":\"first\"}");
                FakeUpstream second =
                        FakeUpstream.start().respondWith(200, "application/json", "{\"from\":\"second\"}");
                RouterFixture router = RouterFixture.start(withToken(first.baseUrl()), Map.of(), true)) {
            List<ConfigException> reported = new CopyOnWriteArrayList<>();
            router.runtime().onReloadFailure(reported::add);

            Files.delete(router.configFile());

            await().atMost(Duration.ofSeconds(10)).until(() -> !reported.isEmpty());
            assertThat(reported.get(0).getMessage())
                    .contains(router.configFile().toString())
                    .contains("the config file is gone");
            assertThat(Http.post(router.baseUrl() + "/v1/messages", "{\"model\":\"m\"}", Map.of())
                            .statusCode())
                    .as("router tokens are still required")
                    .isEqualTo(401);
            assertThat(Http.get(router.baseUrl() + "/metrics", Map.of()).statusCode())
                    .isEqualTo(401);
            HttpResponse<String> served = Http.post(router.baseUrl() + "/v1/messages", "{\"model\":\"m\"}", TOKEN);
            assertThat(served.body()).contains("first");
            assertThat(router.runtime().config().current().fromFile()).isTrue();

            router.rewriteConfig(withToken(second.baseUrl()));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> Http.post(router.baseUrl() + "/v1/messages", "{\"model\":\"m\"}", TOKEN)
                            .body()
                            .contains("second"));
        }
    }

    @Test
    void anEditorsSaveThatBrieflyRemovesTheFileIsNotReportedAsADeletion() throws Exception {
        try (FakeUpstream first = FakeUpstream.start();
                FakeUpstream second = FakeUpstream.start();
                RouterFixture router = RouterFixture.start(withToken(first.baseUrl()), Map.of(), true)) {
            List<ConfigException> reported = new CopyOnWriteArrayList<>();
            router.runtime().onReloadFailure(reported::add);

            // vim's default: move the file aside, write the new text, delete the backup.
            Path backup = router.configFile().resolveSibling("config.json~");
            Files.move(router.configFile(), backup);
            Thread.sleep(300);
            Files.writeString(router.configFile(), withToken(second.baseUrl()));
            Files.delete(backup);

            await().atMost(Duration.ofSeconds(10))
                    .until(
                            () -> router.runtime()
                                    .config()
                                    .current()
                                    .endpoints()
                                    .get(0)
                                    .baseUrl()
                                    .toString(),
                            url -> url.startsWith(second.baseUrl()));
            assertThat(reported).isEmpty();
        }
    }

    @Test
    void aDeletedConfigDirectoryIsWatchedForUntilItIsBack() throws Exception {
        try (FakeUpstream first = FakeUpstream.start();
                FakeUpstream second = FakeUpstream.start()) {
            Path root = Files.createTempDirectory("ccr-test");
            Path file = root.resolve("conf").resolve("config.json");
            Files.createDirectories(file.getParent());
            Files.writeString(file, withToken(first.baseUrl()));
            ConfigLoader loader = new ConfigLoader(name -> null);
            Overrides overrides = new Overrides(0, null, false);
            RouterRuntime runtime = RouterRuntime.start(
                    loader.load(file, overrides).config(),
                    new RouterRuntime.Options(
                            file,
                            overrides,
                            loader,
                            true,
                            null,
                            "test",
                            1,
                            EndpointCredentials.CONFIG_ONLY,
                            root.resolve("home")));
            try {
                List<ConfigException> reported = new CopyOnWriteArrayList<>();
                runtime.onReloadFailure(reported::add);

                Files.delete(file);
                Files.delete(file.getParent());
                await().atMost(Duration.ofSeconds(10)).until(() -> !reported.isEmpty());
                assertThat(Http.get("http://127.0.0.1:" + runtime.port() + "/metrics", Map.of())
                                .statusCode())
                        .isEqualTo(401);

                Files.createDirectories(file.getParent());
                Files.writeString(file, withToken(second.baseUrl()));
                await().atMost(Duration.ofSeconds(15))
                        .until(
                                () -> runtime.config()
                                        .current()
                                        .endpoints()
                                        .get(0)
                                        .baseUrl()
                                        .toString(),
                                url -> url.startsWith(second.baseUrl()));
            } finally {
                runtime.stop(Duration.ZERO);
            }
        }
    }

    private static final Map<String, String> TOKEN = Map.of("authorization", "Bearer tok-alice-123456");

    private static String withToken(String baseUrl) {
        return """
                {
                  "endpoints": [ { "name": "anthropic", "type": "anthropic", "baseUrl": "%s", "apiKey": "k-up-123456" } ],
                  "auth": { "tokens": [ { "name": "alice", "token": "tok-alice-123456" } ] }
                }
                """
                .formatted(baseUrl);
    }
}
