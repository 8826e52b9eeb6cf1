package dev.ccr.server.translate.gemini;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ccr.server.fuzz.FuzzEndpoints;
import dev.ccr.server.fuzz.StreamFuzzing;

/**
 * The Gemini stream translator, fed as the forwarder feeds it (through the SSE parser, in arbitrary pieces), fuzzed
 * from the golden upstream streams, valid and broken (docs/SECURITY.md): see {@link StreamFuzzing}.
 */
class GeminiStreamFuzzTest {
    @FuzzTest(maxDuration = "5s")
    void streamsCompleteOrEndWithAnError(FuzzedDataProvider data) {
        StreamFuzzing.check(new GeminiDialect(), FuzzEndpoints.GEMINI, data);
    }
}
