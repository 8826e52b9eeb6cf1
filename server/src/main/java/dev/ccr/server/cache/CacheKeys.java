package dev.ccr.server.cache;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The cache key of a Messages request: the body's bytes minus what changes from one identical request to the next,
 * plus what else decides the answer (who asks, where the route goes, the beta features asked for).
 *
 * <p>Left out of the body: {@code metadata} (Claude Code puts the session in {@code user_id}), {@code stream} (a cached
 * answer is replayed either way), and the system block Claude Code adds for attribution, whose text starts with
 * {@code x-anthropic-billing-header:} and changes with every request. Everything else must match byte for byte, which
 * is what a client resending the same conversation produces.
 *
 * <p>One pass finds those parts: a scanner that understands only JSON's structure and skips through strings eight
 * bytes at a time (most of a body is string content). The body has already been parsed as valid JSON; anything
 * unexpected makes the request uncacheable rather than failing it.
 */
public final class CacheKeys {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long QUOTES = 0x2222222222222222L;
    private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final byte[] METADATA = ascii("metadata");
    private static final byte[] STREAM = ascii("stream");
    private static final byte[] SYSTEM = ascii("system");
    private static final byte[] TEXT = ascii("text");
    private static final byte[] BILLING = ascii("x-anthropic-billing-header");
    private static final byte[] SEPARATOR = {','};

    private CacheKeys() {}

    /**
     * The key, or {@code null} when the body is not a JSON object this scanner can follow.
     *
     * @param scope whose answers these are ({@link CacheScope}): callers never see each other's answers
     * @param route where the request goes (its targets), so a config change does not serve another model's answer
     * @param beta the {@code anthropic-beta} header, or {@code null}
     */
    public static CacheKey of(Buffer body, String scope, String route, String beta) {
        byte[] bytes;
        int offset;
        int length = body.length();
        ByteBuf buf = body instanceof BufferInternal internal ? internal.getByteBuf() : null;
        if (buf != null && buf.hasArray()) {
            bytes = buf.array();
            offset = buf.arrayOffset() + buf.readerIndex();
        } else {
            bytes = body.getBytes();
            offset = 0;
        }
        return of(bytes, offset, length, scope, route, beta);
    }

    static CacheKey of(byte[] bytes, int offset, int length, String scope, String route, String beta) {
        Scanner scanner = new Scanner(bytes, offset, offset + length);
        if (!scanner.scan()) {
            return null;
        }
        Hash128 hash = new Hash128();
        hash.update(scope);
        hash.update(route);
        hash.update(beta == null ? "" : beta);
        int[] kept = scanner.kept;
        for (int k = 0; k < scanner.count; k += 2) {
            hash.update(bytes, kept[k], kept[k + 1] - kept[k]);
            hash.update(SEPARATOR, 0, 1);
        }
        return hash.finish();
    }

    /**
     * Walks one JSON object and notes the byte ranges that make the key: each top-level member but the volatile ones,
     * whole (name and value). Keying members rather than the bytes between the volatile parts keeps the commas and
     * spaces between members out: a request without {@code stream} keys like the same request with it.
     */
    private static final class Scanner {
        private final byte[] b;
        private final int end;
        private int i;
        /** [start, end) pairs, in order. */
        private int[] kept = new int[32];

        private int count;

        Scanner(byte[] b, int start, int end) {
            this.b = b;
            this.i = start;
            this.end = end;
        }

        /** False when the body is not an object this scanner can follow. */
        boolean scan() {
            try {
                skipSpace();
                if (at(i) != '{') {
                    return false;
                }
                i++;
                while (true) {
                    skipSpace();
                    if (at(i) == '}') {
                        return true;
                    }
                    int fieldStart = i;
                    int nameStart = i + 1;
                    skipString();
                    int nameEnd = i - 1;
                    skipSpace();
                    if (at(i++) != ':') {
                        return false;
                    }
                    skipSpace();
                    if (is(nameStart, nameEnd, METADATA) || is(nameStart, nameEnd, STREAM)) {
                        skipValue();
                    } else if (is(nameStart, nameEnd, SYSTEM) && at(i) == '[') {
                        systemBlocks(fieldStart);
                    } else {
                        skipValue();
                        keep(fieldStart, i);
                    }
                    skipSpace();
                    if (at(i) == ',') {
                        i++;
                    } else if (at(i) != '}') {
                        return false;
                    }
                }
            } catch (IllegalStateException e) {
                return false;
            }
        }

        /** The {@code system} array: a text block that is Claude Code's attribution header is left out. */
        private void systemBlocks(int fieldStart) {
            int segmentStart = fieldStart;
            i++; // [
            while (true) {
                skipSpace();
                if (at(i) == ']') {
                    i++;
                    keep(segmentStart, i);
                    return;
                }
                int blockStart = i;
                if (at(i) == '{' && isBillingBlock()) {
                    keep(segmentStart, blockStart);
                    segmentStart = i;
                } else {
                    i = blockStart;
                    skipValue();
                }
                skipSpace();
                if (at(i) == ',') {
                    i++;
                }
            }
        }

        /** Reads one object, at {@code i}; true when its {@code text} starts with the attribution header's name. */
        private boolean isBillingBlock() {
            boolean billing = false;
            i++; // {
            while (true) {
                skipSpace();
                if (at(i) == '}') {
                    i++;
                    return billing;
                }
                int nameStart = i + 1;
                skipString();
                int nameEnd = i - 1;
                skipSpace();
                i++; // :
                skipSpace();
                if (is(nameStart, nameEnd, TEXT) && at(i) == '"') {
                    billing = startsWith(i + 1, BILLING);
                }
                skipValue();
                skipSpace();
                if (at(i) == ',') {
                    i++;
                }
            }
        }

        private void skipValue() {
            byte c = at(i);
            if (c == '"') {
                skipString();
            } else if (c == '{' || c == '[') {
                int depth = 0;
                do {
                    c = at(i);
                    if (c == '"') {
                        skipString();
                        continue;
                    }
                    if (c == '{' || c == '[') {
                        depth++;
                    } else if (c == '}' || c == ']') {
                        depth--;
                    }
                    i++;
                } while (depth > 0);
            } else {
                while (i < end && (c = b[i]) != ',' && c != '}' && c != ']' && c > ' ') {
                    i++;
                }
            }
        }

        /** From an opening quote to just past the closing one, eight bytes at a time where it can. */
        private void skipString() {
            if (at(i) != '"') {
                throw new IllegalStateException("expected a string");
            }
            i++;
            while (true) {
                while (i + 8 <= end) {
                    long word = (long) LONGS.get(b, i);
                    long found = special(word ^ QUOTES) | special(word ^ BACKSLASHES);
                    if (found != 0) {
                        i += Long.numberOfTrailingZeros(found) >>> 3;
                        break;
                    }
                    i += 8;
                }
                byte c = at(i);
                if (c == '"') {
                    i++;
                    return;
                }
                i += c == '\\' ? 2 : 1;
            }
        }

        /** High bit set in each byte of {@code v} that is zero (exact for the lowest such byte). */
        private static long special(long v) {
            return (v - ONES) & ~v & HIGHS;
        }

        /** The byte at {@code k}, which must lie inside the body (its array may extend past it). */
        private byte at(int k) {
            if (k >= end) {
                throw new IllegalStateException("the body ends early");
            }
            return b[k];
        }

        private void skipSpace() {
            while (at(i) == ' ' || at(i) == '\n' || at(i) == '\r' || at(i) == '\t') {
                i++;
            }
        }

        private boolean is(int start, int stop, byte[] name) {
            if (stop - start != name.length) {
                return false;
            }
            for (int k = 0; k < name.length; k++) {
                if (b[start + k] != name[k]) {
                    return false;
                }
            }
            return true;
        }

        private boolean startsWith(int at, byte[] prefix) {
            if (at + prefix.length > end) {
                return false;
            }
            for (int k = 0; k < prefix.length; k++) {
                if (b[at + k] != prefix[k]) {
                    return false;
                }
            }
            return true;
        }

        private void keep(int from, int to) {
            if (count == kept.length) {
                kept = java.util.Arrays.copyOf(kept, count * 2);
            }
            kept[count++] = from;
            kept[count++] = to;
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
