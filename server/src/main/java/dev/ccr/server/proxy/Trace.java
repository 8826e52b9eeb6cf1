package dev.ccr.server.proxy;

import dev.ccr.server.translate.Usage;

/**
 * What one request leaves behind for the request log, the metrics and the limits: its timings, the usage its answer
 * reported, the trail of its attempts and how the cache treated it. Filled in as the request goes; read once, when it
 * is recorded.
 */
public final class Trace {
    private final long startedAt = System.currentTimeMillis();
    private final long startNanos = System.nanoTime();
    private long firstByteNanos = -1;
    private long upstreamStartNanos = -1;
    private long upstreamEndNanos = -1;
    private String requestedModel;
    private boolean stream;
    private Usage usage = Usage.NONE;
    private int attempts;
    private StringBuilder trail;
    private String cacheStatus;

    /** When the request arrived (epoch milliseconds). */
    public long startedAt() {
        return startedAt;
    }

    void requested(String model, boolean stream) {
        this.requestedModel = model;
        this.stream = stream;
    }

    public String requestedModel() {
        return requestedModel;
    }

    public boolean stream() {
        return stream;
    }

    /** The response's first byte is about to be sent; only the first call counts. */
    void firstByte() {
        if (firstByteNanos < 0) {
            firstByteNanos = System.nanoTime();
        }
    }

    /** One more upstream attempt; the first marks when the upstream's share of the time begins. */
    void attempted() {
        attempts++;
        if (upstreamStartNanos < 0) {
            upstreamStartNanos = System.nanoTime();
        }
    }

    /** The upstream has answered completely (its last byte arrived, or it failed); the last call counts. */
    public void upstreamDone() {
        upstreamEndNanos = System.nanoTime();
    }

    /** The usage the answer reported: cumulative, so later calls replace earlier ones. */
    public void usage(Usage usage) {
        this.usage = usage;
    }

    public Usage usage() {
        return usage;
    }

    /** Everything the answer reported using, for limits: input, output and cache tokens. */
    public long totalTokens() {
        return usage.input() + usage.output() + usage.cacheRead() + usage.cacheCreation();
    }

    public int attempts() {
        return attempts;
    }

    /** Adds an attempt's outcome to the trail ({@value Exchange#HEADER_ATTEMPTS}, the request log). */
    void outcome(String endpoint, String outcome) {
        if (trail == null) {
            trail = new StringBuilder(32);
        } else {
            trail.append(", ");
        }
        trail.append(endpoint).append('=').append(outcome);
    }

    /** The attempts so far as {@code endpoint=outcome, …}; {@code null} before the first outcome. */
    public String trail() {
        return trail == null ? null : trail.toString();
    }

    /** How the response cache treated the request: {@code hit}, {@code miss} or {@code bypass}. */
    void cacheStatus(String status) {
        this.cacheStatus = status;
    }

    public String cacheStatus() {
        return cacheStatus;
    }

    public long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** From arrival to the first byte, or -1 when none was sent. */
    long firstByteMillis() {
        return firstByteNanos < 0 ? -1 : (firstByteNanos - startNanos) / 1_000_000;
    }

    /** The upstream's share of the time until {@code nowNanos}, or -1 when no upstream was asked. */
    long upstreamNanos(long nowNanos) {
        if (upstreamStartNanos < 0) {
            return -1;
        }
        return (upstreamEndNanos >= upstreamStartNanos ? upstreamEndNanos : nowNanos) - upstreamStartNanos;
    }

    long startNanos() {
        return startNanos;
    }
}
