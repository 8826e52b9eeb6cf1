package dev.ccr.server.team;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccr.server.cache.CachedAnswer;
import dev.ccr.server.translate.Usage;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AnswerCodecTest {
    @Test
    void anAnswerComesBackAsItWasStoredAndLargeOnesShrink() {
        byte[] body = "event: content_block_delta\ndata: {\"type\":\"text_delta\",\"text\":\"hello\"}\n\n"
                .repeat(200)
                .getBytes(StandardCharsets.UTF_8);
        CachedAnswer answer = new CachedAnswer(true, body, "glm", "glm-4.6", "default", new Usage(10, 20, 30, 40));
        byte[] stored = AnswerCodec.encode(answer);
        assertThat(stored.length).as("deflated").isLessThan(body.length / 5);
        CachedAnswer back = AnswerCodec.decode(stored);
        assertThat(back.stream()).isTrue();
        assertThat(back.body()).isEqualTo(body);
        assertThat(back.endpoint()).isEqualTo("glm");
        assertThat(back.model()).isEqualTo("glm-4.6");
        assertThat(back.route()).isEqualTo("default");
        assertThat(back.usage()).isEqualTo(new Usage(10, 20, 30, 40));
    }

    @Test
    void smallAnswersAndMissingFieldsRoundTrip() {
        CachedAnswer answer =
                new CachedAnswer(false, "{}".getBytes(StandardCharsets.UTF_8), null, null, null, Usage.NONE);
        CachedAnswer back = AnswerCodec.decode(AnswerCodec.encode(answer));
        assertThat(back.stream()).isFalse();
        assertThat(new String(back.body(), StandardCharsets.UTF_8)).isEqualTo("{}");
        assertThat(back.endpoint()).isNull();
    }

    @Test
    void whatIsNotAnEntryOfThisVersionIsAMiss() {
        byte[] stored = AnswerCodec.encode(
                new CachedAnswer(true, "x".repeat(5000).getBytes(StandardCharsets.UTF_8), "a", "m", "r", Usage.NONE));
        assertThat(AnswerCodec.decode(new byte[] {9, 0, 0})).isNull();
        assertThat(AnswerCodec.decode(new byte[0])).isNull();
        byte[] cut = java.util.Arrays.copyOf(stored, stored.length - 3);
        assertThat(AnswerCodec.decode(cut)).isNull();
        stored[stored.length - 1] ^= 0x55;
        CachedAnswer damaged = AnswerCodec.decode(stored);
        assertThat(damaged == null || damaged.body().length == 5000).isTrue();
    }
}
