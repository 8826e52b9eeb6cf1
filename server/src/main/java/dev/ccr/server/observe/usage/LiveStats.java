package dev.ccr.server.observe.usage;

import dev.ccr.server.observe.PricedRequest;
import dev.ccr.server.observe.RequestRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Usage since start, per endpoint, model and session, with latency percentiles, and the latest requests. Updated on the
 * event loops without locks (adders, atomic arrays, concurrent maps); read from anywhere.
 */
public final class LiveStats {
    public static final int MAX_SESSIONS = 100;
    public static final int RECENT = 500;

    private final long since;
    private final LiveGroup total = new LiveGroup("total");
    private final Map<String, LiveGroup> byEndpoint = new ConcurrentHashMap<>();
    private final Map<String, LiveGroup> byModel = new ConcurrentHashMap<>();
    private final Map<String, LiveGroup> bySession = new ConcurrentHashMap<>();
    private final AtomicReferenceArray<PricedRequest> recent = new AtomicReferenceArray<>(RECENT);
    private final AtomicLong recorded = new AtomicLong();

    public LiveStats(long since) {
        this.since = since;
    }

    public void add(PricedRequest priced) {
        RequestRecord r = priced.record();
        total.add(priced);
        group(byEndpoint, r.endpoint()).add(priced);
        group(byModel, UsageQueries.modelOf(r.upstreamModel(), r.requestedModel()))
                .add(priced);
        String session = r.sessionId() == null ? UsageGroup.NONE : r.sessionId();
        if (!bySession.containsKey(session) && bySession.size() >= MAX_SESSIONS) {
            forgetOldestSession();
        }
        group(bySession, session).add(priced);
        recent.set((int) (recorded.getAndIncrement() % RECENT), priced);
    }

    private static LiveGroup group(Map<String, LiveGroup> groups, String name) {
        return groups.computeIfAbsent(name == null ? UsageGroup.NONE : name, LiveGroup::new);
    }

    private void forgetOldestSession() {
        bySession.entrySet().stream()
                .min(Comparator.comparingLong(e -> e.getValue().lastRequestAt()))
                .ifPresent(oldest -> bySession.remove(oldest.getKey(), oldest.getValue()));
    }

    public LiveSummary summary() {
        Comparator<UsageGroup> busiest = Comparator.comparingLong(
                        (UsageGroup g) -> g.usage().requests())
                .reversed()
                .thenComparing(UsageGroup::name);
        return new LiveSummary(
                since,
                total.snapshot(),
                snapshots(byEndpoint, busiest),
                snapshots(byModel, busiest),
                snapshots(
                        bySession,
                        Comparator.comparingLong(UsageGroup::lastRequestAt).reversed()));
    }

    private static List<UsageGroup> snapshots(Map<String, LiveGroup> groups, Comparator<UsageGroup> order) {
        List<UsageGroup> out = new ArrayList<>();
        groups.values().forEach(g -> out.add(g.snapshot()));
        out.sort(order);
        return out;
    }

    /** The latest finished requests, newest first; at most {@code limit} and at most {@link #RECENT}. */
    public List<PricedRequest> recent(int limit) {
        long end = recorded.get();
        int count = (int) Math.min(Math.min(limit, RECENT), end);
        List<PricedRequest> out = new ArrayList<>(count);
        for (long i = end - 1; i >= end - count; i--) {
            PricedRequest request = recent.get((int) (i % RECENT));
            if (request != null) {
                out.add(request);
            }
        }
        return out;
    }
}
