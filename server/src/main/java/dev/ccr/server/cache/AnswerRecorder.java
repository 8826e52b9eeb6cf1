package dev.ccr.server.cache;

import dev.ccr.server.translate.Usage;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps what a request sends its client, so a complete, successful answer can be stored afterwards. It holds the
 * chunks as they are (no copy until the end) and gives up past {@code maxBytes}, so a huge answer costs nothing more
 * than not being cached.
 */
public final class AnswerRecorder {
    private final ResponseCache cache;
    private final CacheKey key;
    private final long maxBytes;
    private List<Buffer> chunks = new ArrayList<>();
    private long size;

    public AnswerRecorder(ResponseCache cache, CacheKey key, long maxBytes) {
        this.cache = cache;
        this.key = key;
        this.maxBytes = maxBytes;
    }

    /** A chunk on its way to the client. */
    public void sent(Buffer chunk) {
        if (chunks == null) {
            return;
        }
        size += chunk.length();
        if (size > maxBytes) {
            chunks = null; // too big to be worth keeping
            return;
        }
        chunks.add(chunk);
    }

    /**
     * The answer is complete and successful: store it.
     *
     * @param usage the tokens it took
     */
    public void complete(boolean stream, String endpoint, String model, String route, Usage usage) {
        if (chunks == null || chunks.isEmpty()) {
            return;
        }
        byte[] body = new byte[(int) size];
        int at = 0;
        for (Buffer chunk : chunks) {
            chunk.getBytes(body, at);
            at += chunk.length();
        }
        chunks = null;
        cache.put(key, new CachedAnswer(stream, body, endpoint, model, route, usage));
    }
}
