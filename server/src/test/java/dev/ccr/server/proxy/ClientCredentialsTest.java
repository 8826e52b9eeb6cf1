package dev.ccr.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccr.server.testing.FakeKeys;
import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.Http;
import dev.ccr.server.testing.RecordedRequest;
import dev.ccr.server.testing.RouterFixture;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Anthropic endpoints without a key forward the client's own credential (docs/SECURITY.md), in the header Anthropic accepts
 * it in: API keys as {@code x-api-key}, OAuth tokens (a Claude subscription) as {@code Authorization: Bearer}.
 */
class ClientCredentialsTest {
    private static FakeUpstream upstream;
    private static RouterFixture router;

    @BeforeAll
    static void start() {
        upstream = FakeUpstream.start().respondWith(200, "application/json", "{}");
        router = RouterFixture.start(RouterFixture.anthropicConfig(upstream.baseUrl(), null));
    }

    @AfterAll
    static void stop() {
        router.close();
        upstream.close();
    }

    private static RecordedRequest send(Map<String, String> headers) {
        assertThat(Http.post(router.baseUrl() + "/v1/messages", "{\"model\":\"m\"}", headers)
                        .statusCode())
                .isEqualTo(200);
        return upstream.lastRequest();
    }

    @Test
    void anApiKeyHeaderIsForwardedAsIs() {
        RecordedRequest seen = send(Map.of("x-api-key", FakeKeys.anthropic("api03-own")));
        assertThat(seen.header("x-api-key")).isEqualTo(FakeKeys.anthropic("api03-own"));
        assertThat(seen.header("authorization")).isNull();
    }

    @Test
    void theCcrPrefixIsRemovedAndAnApiKeyInBearerMovesToXApiKey() {
        RecordedRequest seen = send(Map.of("authorization", "Bearer ccr:" + FakeKeys.anthropic("api03-own")));
        assertThat(seen.header("x-api-key")).isEqualTo(FakeKeys.anthropic("api03-own"));
        assertThat(seen.header("authorization")).isNull();
    }

    @Test
    void anOauthTokenStaysABearerToken() {
        RecordedRequest seen = send(Map.of("authorization", "Bearer " + FakeKeys.anthropic("oat01-subscription")));
        assertThat(seen.header("authorization")).isEqualTo("Bearer " + FakeKeys.anthropic("oat01-subscription"));
        assertThat(seen.header("x-api-key")).isNull();
    }

    @Test
    void theRealKeyWinsOverThePlaceholderWhenClaudeCodeSendsBoth() {
        RecordedRequest seen =
                send(Map.of("authorization", "Bearer ccr", "x-api-key", FakeKeys.anthropic("api03-real")));
        assertThat(seen.header("x-api-key")).isEqualTo(FakeKeys.anthropic("api03-real"));
        assertThat(seen.header("authorization")).isNull();
    }
}
