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

    private CacheKeys() {}

    /**
     * The key, or {@code null} when the body is not a JSON object this scanner can follow.
     *
     * @param scope whose answers these are (a router token's name): clients never see each other's answers
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
        int[] skipped = new Scanner(bytes, offset, offset + length).excluded();
        if (skipped == null) {
            return null;
        }
        Hash128 hash = new Hash128();
        hash.update(scope);
        hash.update(route);
        hash.update(beta == null ? "" : beta);
        int at = offset;
        for (int i = 0; i < skipped.length && skipped[i] >= 0; i += 2) {
            hash.update(bytes, at, skipped[i] - at);
            at = skipped[i + 1];
        }
        hash.update(bytes, at, offset + length - at);
        return hash.finish();
    }

    /** Walks one JSON object and notes the byte ranges to leave out of the key. */
    private static final class Scanner {
        private final byte[] b;
        private final int end;
        private int i;
        /** Up to four [start, end) pairs, in order; -1 where unused. */
        private final int[] ranges = {-1, -1, -1, -1, -1, -1, -1, -1};

        private int count;

        Scanner(byte[] b, int start, int end) {
            this.b = b;
            this.i = start;
            this.end = end;
        }

        int[] excluded() {
            try {
                skipSpace();
                if (at(i) != '{') {
                    return null;
                }
                i++;
                while (true) {
                    skipSpace();
                    if (at(i) == '}') {
                        return ranges;
                    }
                    int fieldStart = i;
                    int nameStart = i + 1;
                    skipString();
                    int nameEnd = i - 1;
                    skipSpace();
                    if (at(i++) != ':') {
                        return null;
                    }
                    skipSpace();
                    if (is(nameStart, nameEnd, METADATA) || is(nameStart, nameEnd, STREAM)) {
                        skipValue();
                        exclude(fieldStart, i);
                    } else if (is(nameStart, nameEnd, SYSTEM) && at(i) == '[') {
                        systemBlocks();
                    } else {
                        skipValue();
                    }
                    skipSpace();
                    if (at(i) == ',') {
                        i++;
                    } else if (at(i) != '}') {
                        return null;
                    }
                }
            } catch (IllegalStateException e) {
                return null;
            }
        }

        /** The {@code system} array: a text block that is Claude Code's attribution header is left out. */
        private void systemBlocks() {
            i++; // [
            while (true) {
                skipSpace();
                if (at(i) == ']') {
                    i++;
                    return;
                }
                int blockStart = i;
                if (at(i) == '{' && isBillingBlock()) {
                    exclude(blockStart, i);
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

        private void exclude(int from, int to) {
            if (count == 4) {
                throw new IllegalStateException("more volatile parts than a request has");
            }
            ranges[count * 2] = from;
            ranges[count * 2 + 1] = to;
            count++;
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
