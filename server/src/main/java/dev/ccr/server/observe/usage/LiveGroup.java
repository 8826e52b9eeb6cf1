package dev.ccr.server.observe.usage;

import dev.ccr.server.observe.PricedRequest;
import dev.ccr.server.observe.RequestRecord;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** Running counts for one endpoint, model, session, or everything; updated from any thread without locks. */
final class LiveGroup {
    private final String name;
    private final LongAdder requests = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder inputTokens = new LongAdder();
    private final LongAdder outputTokens = new LongAdder();
    private final LongAdder cacheReadTokens = new LongAdder();
    private final LongAdder cacheCreationTokens = new LongAdder();
    private final LongAdder cacheHits = new LongAdder();
    private final LongAdder unpriced = new LongAdder();
    private final LongAdder estimated = new LongAdder();
    private final DoubleAdder cost = new DoubleAdder();
    private final AtomicLong lastRequestAt = new AtomicLong();
    private final LatencyHistogram duration = new LatencyHistogram();
    private final LatencyHistogram timeToFirstByte = new LatencyHistogram();

    LiveGroup(String name) {
        this.name = name;
    }

    void add(PricedRequest priced) {
        RequestRecord r = priced.record();
        requests.increment();
        if (r.failed()) {
            errors.increment();
        }
        if (r.billable()) {
            inputTokens.add(r.inputTokens());
            outputTokens.add(r.outputTokens());
            cacheReadTokens.add(r.cacheReadTokens());
            cacheCreationTokens.add(r.cacheCreationTokens());
        }
        if (r.cacheHit()) {
            cacheHits.increment();
        }
        if (priced.unpriced()) {
            unpriced.increment();
        } else {
            cost.add(priced.costUsd());
        }
        if (priced.costEstimated()) {
            estimated.increment();
        }
        lastRequestAt.accumulateAndGet(r.startedAt(), Math::max);
        duration.record(r.durationMillis());
        if (r.timeToFirstByteMillis() >= 0) {
            timeToFirstByte.record(r.timeToFirstByteMillis());
        }
    }

    long lastRequestAt() {
        return lastRequestAt.get();
    }

    UsageGroup snapshot() {
        return new UsageGroup(
                name,
                lastRequestAt.get(),
                new UsageTotals(
                        requests.sum(),
                        errors.sum(),
                        inputTokens.sum(),
                        outputTokens.sum(),
                        cacheReadTokens.sum(),
                        cacheCreationTokens.sum(),
                        cacheHits.sum(),
                        cost.sum(),
                        unpriced.sum(),
                        estimated.sum()),
                duration.summary(),
                timeToFirstByte.summary());
    }
}
