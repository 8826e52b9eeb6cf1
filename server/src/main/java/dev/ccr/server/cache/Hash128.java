package dev.ccr.server.cache;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A fast 128-bit hash over several byte ranges, in the shape of XXH64 (four multiply-rotate lanes over 32-byte
 * stripes, the same primes), with two different finalisations of the lanes for the two halves. It is not
 * cryptographic: keys are scoped per client, so a deliberate collision could only ever serve a client its own answer.
 * It runs at memory speed on the ~100 KB bodies Claude Code sends, where SHA-256 would take about 0.1 ms.
 */
final class Hash128 {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long P1 = 0x9E3779B185EBCA87L;
    private static final long P2 = 0xC2B2AE3D27D4EB4FL;
    private static final long P3 = 0x165667B19E3779F9L;
    private static final long P4 = 0x85EBCA77C2B2AE63L;
    private static final long P5 = 0x27D4EB2F165667C5L;

    private long v1 = P1 + P2;
    private long v2 = P2;
    private long v3 = 0;
    private long v4 = -P1;
    private final byte[] stripe = new byte[32];
    private int buffered;
    private long total;

    void update(byte[] bytes, int offset, int length) {
        total += length;
        int i = offset;
        int end = offset + length;
        if (buffered > 0) {
            int take = Math.min(32 - buffered, length);
            System.arraycopy(bytes, i, stripe, buffered, take);
            buffered += take;
            i += take;
            if (buffered < 32) {
                return;
            }
            consume(stripe, 0);
            buffered = 0;
        }
        long a = v1;
        long b = v2;
        long c = v3;
        long d = v4;
        for (; i + 32 <= end; i += 32) {
            a = round(a, (long) LONGS.get(bytes, i));
            b = round(b, (long) LONGS.get(bytes, i + 8));
            c = round(c, (long) LONGS.get(bytes, i + 16));
            d = round(d, (long) LONGS.get(bytes, i + 24));
        }
        v1 = a;
        v2 = b;
        v3 = c;
        v4 = d;
        if (i < end) {
            System.arraycopy(bytes, i, stripe, 0, end - i);
            buffered = end - i;
        }
    }

    void update(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        update(bytes, 0, bytes.length);
        // A separator, so that ("ab", "c") and ("a", "bc") differ.
        update(new byte[] {(byte) 0xff, (byte) bytes.length}, 0, 2);
    }

    CacheKey finish() {
        long low = mix(
                Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12) + Long.rotateLeft(v4, 18));
        long high = mix(Long.rotateLeft(v1, 43) ^ Long.rotateLeft(v2, 29) ^ Long.rotateLeft(v3, 5) ^ v4 ^ P5);
        low += total;
        high += total * P3;
        for (int i = 0; i < buffered; i++) {
            long b = stripe[i] & 0xff;
            low = Long.rotateLeft(low ^ (b * P5), 11) * P1;
            high = Long.rotateLeft(high ^ (b * P1), 13) * P2;
        }
        return new CacheKey(avalanche(high), avalanche(low));
    }

    private void consume(byte[] bytes, int i) {
        v1 = round(v1, (long) LONGS.get(bytes, i));
        v2 = round(v2, (long) LONGS.get(bytes, i + 8));
        v3 = round(v3, (long) LONGS.get(bytes, i + 16));
        v4 = round(v4, (long) LONGS.get(bytes, i + 24));
    }

    private static long round(long acc, long input) {
        return Long.rotateLeft(acc + input * P2, 31) * P1;
    }

    private long mix(long h) {
        h = merge(h, v1);
        h = merge(h, v2);
        h = merge(h, v3);
        return merge(h, v4);
    }

    private static long merge(long acc, long lane) {
        acc ^= round(0, lane);
        return acc * P1 + P4;
    }

    private static long avalanche(long h) {
        h ^= h >>> 33;
        h *= P2;
        h ^= h >>> 29;
        h *= P3;
        return h ^ (h >>> 32);
    }
}
