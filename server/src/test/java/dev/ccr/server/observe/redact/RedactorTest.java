package dev.ccr.server.observe.redact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccr.server.testing.FakeKeys;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedactorTest {
    private final Redactor patterns = Redactor.patternsOnly();

    @Test
    void wellKnownCredentialShapesAreMasked() {
        assertThat(patterns.redact("key " + FakeKeys.anthropic("api03-abcDEF123_-xyz") + " and "
                        + FakeKeys.openai("0123456789abcdefXYZ")))
                .isEqualTo("key [redacted] and [redacted]");
        assertThat(patterns.redact(FakeKeys.google("SyA1234567890abcdefghijklmnopqrstuv")))
                .isEqualTo("[redacted]");
        assertThat(patterns.redact("Authorization: Bearer abc.def-ghi_jkl"))
                .isEqualTo("Authorization: Bearer [redacted]");
        assertThat(patterns.redact("ANTHROPIC_AUTH_TOKEN=ccr:my-router-token"))
                .isEqualTo("ANTHROPIC_AUTH_TOKEN=[redacted]");
        assertThat(patterns.redact("token ccr:my-router-token here")).isEqualTo("token ccr:[redacted] here");
        assertThat(patterns.redact(FakeKeys.github("abcdefghijklmnopqrstuvwxyz0123")))
                .isEqualTo("[redacted]");
    }

    @Test
    void credentialFieldsAndVariablesAreMaskedWhateverTheirValue() {
        assertThat(patterns.redact("{\"api_key\": \"hunter22\", \"model\": \"m\"}"))
                .isEqualTo("{\"api_key\": \"[redacted]\", \"model\": \"m\"}");
        assertThat(patterns.redact("\"text\": \"{\\\"password\\\":\\\"hunter22\\\"}\""))
                .isEqualTo("\"text\": \"{\\\"password\\\":\\\"[redacted]\\\"}\"");
        assertThat(patterns.redact("export GITHUB_TOKEN=abcd1234 MAX_TOKENS=100"))
                .isEqualTo("export GITHUB_TOKEN=[redacted] MAX_TOKENS=100");
    }

    @Test
    void knownSecretsOfAnyShapeAreMaskedLongestFirstAndShortOnesIgnored() {
        Redactor redactor = Redactor.of(List.of("plain-secret", "plain-secret-longer", "short"));
        assertThat(redactor.redact("a plain-secret-longer and a plain-secret, short"))
                .isEqualTo("a [redacted] and a [redacted], short");
        assertThat(redactor.with(List.of("client-key-1")).redact("client-key-1"))
                .isEqualTo("[redacted]");
        assertThat(redactor.toString()).doesNotContain("plain-secret");
    }

    @Test
    void ordinaryTextIsLeftAlone() {
        String text = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":32000,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"ask-ant-colony task-1234567890123456 keys\"}]}";
        assertThat(patterns.redact(text)).isEqualTo(text);
    }

    @Test
    void credentialHeadersAreRecognisedByName() {
        assertThat(List.of("Authorization", "x-api-key", "X-Goog-Api-Key", "Cookie", "X-Team-Token", "api-secret"))
                .allMatch(Redactor::isCredentialHeader);
        assertThat(List.of("content-type", "anthropic-version", "x-claude-code-session-id", "user-agent"))
                .noneMatch(Redactor::isCredentialHeader);
    }
}
