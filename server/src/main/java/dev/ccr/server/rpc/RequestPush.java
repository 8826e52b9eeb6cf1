package dev.ccr.server.rpc;

import dev.ccr.protocol.stats.RequestInfo;
import dev.ccr.protocol.stats.RequestsCompletedParams;
import dev.ccr.server.observe.PricedRequest;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Sends finished requests to the editor in batches, at most once per {@link #INTERVAL}, keeping the newest
 * {@link #MAX_BATCH} when more finished: a busy router never floods the editor, and an idle one sends nothing.
 */
final class RequestPush implements Consumer<PricedRequest> {
    static final Duration INTERVAL = Duration.ofMillis(500);
    static final int MAX_BATCH = 100;

    private final ScheduledExecutorService worker;
    private final Consumer<RequestsCompletedParams> send;
    private final ArrayDeque<PricedRequest> pending = new ArrayDeque<>();
    private int dropped;
    private boolean scheduled;
    private volatile boolean enabled;

    RequestPush(ScheduledExecutorService worker, Consumer<RequestsCompletedParams> send) {
        this.worker = worker;
        this.send = send;
    }

    void enable() {
        enabled = true;
    }

    @Override
    public void accept(PricedRequest record) {
        if (!enabled) {
            return;
        }
        synchronized (this) {
            pending.addLast(record);
            if (pending.size() > MAX_BATCH) {
                pending.removeFirst();
                dropped++;
            }
            if (!scheduled) {
                scheduled = true;
                worker.schedule(this::flush, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    private void flush() {
        List<RequestInfo> batch = new ArrayList<>();
        int droppedNow;
        synchronized (this) {
            scheduled = false;
            pending.forEach(record -> batch.add(StatsRpc.request(record)));
            pending.clear();
            droppedNow = dropped;
            dropped = 0;
        }
        if (!batch.isEmpty()) {
            send.accept(new RequestsCompletedParams(batch, droppedNow));
        }
    }
}
