package dev.ccr.server.translate.openai;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ccr.server.fuzz.FuzzEndpoints;
import dev.ccr.server.fuzz.StreamFuzzing;

/**
 * The OpenAI stream translator, fed as the forwarder feeds it (through the SSE parser, in arbitrary pieces), fuzzed
 * from the golden upstream streams, valid and broken (docs/SECURITY.md): see {@link StreamFuzzing}.
 */
class OpenAiStreamFuzzTest {
    @FuzzTest(maxDuration = "5s")
    void streamsCompleteOrEndWithAnError(FuzzedDataProvider data) {
        // With and without a usage chunk expected after the finish chunk.
        boolean usage = data.consumeBoolean();
        StreamFuzzing.check(new OpenAiDialect(), FuzzEndpoints.OPENAI.get(usage ? 0 : 1), data);
    }
}
