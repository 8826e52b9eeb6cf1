package dev.ccr.server.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What makes two requests the same for the response cache, and what does not. */
class CacheKeysTest {
    private static final String BODY =
            """
            {"model":"claude-sonnet-4-5","max_tokens":32000,"stream":true,\
            "metadata":{"user_id":"{\\"session_id\\":\\"%s\\"}"},\
            "system":[{"type":"text","text":"x-anthropic-billing-header: cc_version=2.1.197; cch=%s;"},\
            {"type":"text","text":"You are Claude Code.","cache_control":{"type":"ephemeral"}}],\
            "messages":[{"role":"user","content":"%s"}]}""";

    private static CacheKey key(String body) {
        return CacheKeys.of(Buffer.buffer(body), "local", "anthropic,claude-sonnet-4-5;", null);
    }

    private static String body(String session, String attribution, String text) {
        return BODY.formatted(session, attribution, text);
    }

    @Test
    void theSessionTheAttributionBlockAndStreamDoNotChangeTheKey() {
        CacheKey first = key(body("s-1", "a1b2", "hello"));
        assertThat(key(body("s-2", "ffff", "hello"))).isEqualTo(first);
        assertThat(key(body("s-1", "a1b2", "hello").replace("\"stream\":true,", "\"stream\":false,")))
                .isEqualTo(first);
        assertThat(key(body("s-1", "a1b2", "hello").replace("\"stream\":true,", "")))
                .as("the SDK leaves stream out of a request it does not stream")
                .isEqualTo(first);
        assertThat(key("{\"model\":\"m\",\"messages\":[],\"stream\":true}"))
                .isEqualTo(key("{\"model\":\"m\",\"messages\":[]}"))
                .isEqualTo(key("{\"model\":\"m\", \"metadata\": {}, \"messages\":[]}"))
                .isNotEqualTo(key("{\"model\":\"m\",\"messages\":[{}]}"));
    }

    @Test
    void everythingElseChangesTheKey() {
        CacheKey base = key(body("s", "a", "hello"));
        Set<CacheKey> keys = new HashSet<>();
        keys.add(base);
        keys.add(key(body("s", "a", "hello!")));
        keys.add(key(body("s", "a", "hello").replace("32000", "32001")));
        keys.add(key(body("s", "a", "hello").replace("You are Claude Code.", "You are Claude Code!")));
        keys.add(key(body("s", "a", "hello").replace("ephemeral", "ephemerai")));
        keys.add(CacheKeys.of(Buffer.buffer(body("s", "a", "hello")), "alice", "anthropic,claude-sonnet-4-5;", null));
        keys.add(CacheKeys.of(Buffer.buffer(body("s", "a", "hello")), "local", "glm,glm-4.6;", null));
        keys.add(CacheKeys.of(
                Buffer.buffer(body("s", "a", "hello")), "local", "anthropic,claude-sonnet-4-5;", "context-1m"));
        assertThat(keys).hasSize(8);
    }

    @Test
    void onlyTheAttributionBlockOfTheSystemPromptIsLeftOut() {
        String withHeaderInMessage = body("s", "a", "x-anthropic-billing-header: looks like one but is a message");
        assertThat(key(withHeaderInMessage)).isNotEqualTo(key(body("s", "a", "other")));
        String secondBlockNamesIt =
                body("s", "a", "hi").replace("You are Claude Code.", "x-anthropic-billing-header: 1");
        assertThat(key(secondBlockNamesIt))
                .as("any system block that is Claude Code's attribution is volatile")
                .isEqualTo(key(body("s", "a", "hi").replace("You are Claude Code.", "x-anthropic-billing-header: 2")));
    }

    @Test
    void escapedQuotesAndKeyNamesInsideStringsDoNotConfuseTheScanner() {
        String tricky = body("s", "a", "say \\\"metadata\\\":{} and \\\\\\\"stream\\\":true, ]}{[ \\\\");
        CacheKey first = key(tricky);
        assertThat(first).isNotNull();
        assertThat(key(tricky.replace("\"s\\\"", "\"t\\\""))).isEqualTo(first);
        assertThat(key(tricky.replace("]}{[", "]}{{"))).isNotEqualTo(first);
    }

    @Test
    void longBodiesHashEveryByte() {
        String text = "x".repeat(100_000);
        CacheKey a = key(body("s", "a", text));
        CacheKey b = key(body("s", "a", text.substring(0, 50_000) + "y" + text.substring(50_001)));
        assertThat(a).isNotEqualTo(b);
        assertThat(key(body("s2", "b", text))).isEqualTo(a);
    }

    @Test
    void aBodyThatIsNotAnObjectHasNoKey() {
        assertThat(key("[1,2]")).isNull();
        assertThat(key("{\"model\":\"m\"")).isNull();
        assertThat(key("{\"model\":\"m\"}")).isNotNull();
    }

    @Test
    void aSliceOfALargerBufferIsKeyedByItsOwnBytesOnly() {
        String body = body("s", "a", "hello");
        Buffer padded = Buffer.buffer("PAD" + body + "TRAILING{\"}");
        Buffer slice = padded.slice(3, 3 + body.length());
        assertThat(CacheKeys.of(slice, "local", "anthropic,claude-sonnet-4-5;", null))
                .isEqualTo(key(body));
    }
}
