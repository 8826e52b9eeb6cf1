package dev.ccr.server.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ccr.server.error.ApiException;
import io.vertx.core.buffer.Buffer;

/**
 * The routing parse of a request body, fuzzed (docs/SECURITY.md says how to fuzz for longer). Any bytes either parse or
 * are refused with a 400; a parsed body's model can be replaced without disturbing the rest, and what the router keeps
 * of it is fit for a header and a log line.
 */
class MessagesRequestFuzzTest {
    @FuzzTest(maxDuration = "5s")
    void anyBodyParsesOrIsRefusedWithA400(byte[] body) {
        MessagesRequest request;
        try {
            request = MessagesRequest.parse(Buffer.buffer(body));
        } catch (ApiException refused) {
            assertThat(refused.status()).isEqualTo(400);
            return;
        }
        assertThat(ControlCharacters.find(request.model())).isNegative();
        assertThat(request.estimatedInputTokens()).isNotNegative();

        MessagesRequest renamed = MessagesRequest.parse(request.withModel("fuzz,model-\u00e9\"\\"));
        assertThat(renamed.model()).isEqualTo("fuzz,model-\u00e9\"\\");
        assertThat(renamed.stream()).isEqualTo(request.stream());
        assertThat(renamed.toolNames()).isEqualTo(request.toolNames());
        assertThat(renamed.images()).isEqualTo(request.images());
    }
}
