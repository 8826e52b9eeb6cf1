package dev.ccr.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.Http;
import dev.ccr.server.testing.RouterFixture;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PassthroughSmokeTest {
    @Test
    void forwardsBodyAndSwapsTheCredential() {
        try (FakeUpstream upstream = FakeUpstream.start();
                RouterFixture router =
                        RouterFixture.start(RouterFixture.anthropicConfig(upstream.baseUrl(), "sk-endpoint"))) {
            upstream.respondWith(200, "application/json", "{\"id\":\"msg_1\",\"type\":\"message\"}");
            String body = "{\"model\": \"claude-sonnet-4-5\",  \"max_tokens\": 5, \"messages\": []}";
            var response = Http.post(
                    router.baseUrl() + "/v1/messages?beta=true",
                    body,
                    Map.of(
                            "x-api-key",
                            "sk-client",
                            "anthropic-version",
                            "2023-06-01",
                            "content-type",
                            "application/json"));
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("{\"id\":\"msg_1\",\"type\":\"message\"}");
            var seen = upstream.lastRequest();
            assertThat(seen.path()).isEqualTo("/v1/messages");
            assertThat(seen.query()).isEqualTo("beta=true");
            assertThat(seen.bodyText()).isEqualTo(body);
            assertThat(seen.header("x-api-key")).isEqualTo("sk-endpoint");
            assertThat(seen.header("anthropic-version")).isEqualTo("2023-06-01");
        }
    }
}
