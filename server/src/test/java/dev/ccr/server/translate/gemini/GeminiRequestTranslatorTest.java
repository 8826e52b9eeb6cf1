package dev.ccr.server.translate.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.config.Provider;
import dev.ccr.server.error.ApiException;
import dev.ccr.server.json.Json;
import org.junit.jupiter.api.Test;

class GeminiRequestTranslatorTest {
    private static JsonNode translate(String request) throws Exception {
        return Json.MAPPER.readTree(
                GeminiRequestTranslator.translate(Json.MAPPER.readTree(request), Provider.GEMINI.preset())
                        .getBytes());
    }

    @Test
    void aSignatureCarriedInTheToolIdGoesBackOnTheFunctionCall() throws Exception {
        String id = SignedToolIds.create("c2lnbmF0dXJl+/=");
        assertThat(id).matches("toolu_ccr_[0-9A-Za-z]{22}_gts_[A-Za-z0-9_-]+");
        JsonNode out = translate(
                """
                {"messages":[{"role":"user","content":"go"},
                  {"role":"assistant","content":[{"type":"tool_use","id":"%1$s","name":"Bash","input":{"c":1}}]},
                  {"role":"user","content":[{"type":"tool_result","tool_use_id":"%1$s","content":"ok"}]}]}
                """
                        .formatted(id));
        assertThat(out.at("/contents/1/parts/0/thoughtSignature").asText()).isEqualTo("c2lnbmF0dXJl+/=");
        assertThat(out.at("/contents/2/parts/0/functionResponse/name").asText()).isEqualTo("Bash");
    }

    @Test
    void aSignatureAfterTrailingTextGoesOnThatText() throws Exception {
        JsonNode out = translate(
                """
                {"messages":[{"role":"user","content":"hi"},
                  {"role":"assistant","content":[{"type":"thinking","thinking":"hmm","signature":""},
                    {"type":"text","text":"Hello"},{"type":"thinking","thinking":"","signature":"S"}]},
                  {"role":"user","content":"again"}]}
                """);
        assertThat(out.at("/contents/1/parts")).hasSize(1);
        assertThat(out.at("/contents/1/parts/0/text").asText()).isEqualTo("Hello");
        assertThat(out.at("/contents/1/parts/0/thoughtSignature").asText()).isEqualTo("S");
    }

    @Test
    void aToolResultWithoutItsCallCannotBeNamed() {
        assertThatThrownBy(
                        () -> translate(
                                """
                        {"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"gone","content":"x"}]}]}
                        """))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("tool_result for \"gone\" has no matching tool_use");
    }
}
