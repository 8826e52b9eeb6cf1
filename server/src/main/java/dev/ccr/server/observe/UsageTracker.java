package dev.ccr.server.observe;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Usage since start, in memory: totals and breakdowns per endpoint, model and Claude Code session, latency
 * percentiles, and the latest requests. For the editor's dashboard; history that survives restarts is another
 * listener's job. Costs are not known here (no pricing yet) and so not counted.
 */
public final class UsageTracker implements RequestListener {
    /** Requests kept for {@link #recent(int)}. */
    public static final int RECENT = 500;
    /** Sessions kept; the least recently active are dropped first. */
    static final int SESSIONS = 200;
    /** The group of requests that have no endpoint, model or session. */
    public static final String NONE = "(none)";

    /** A latency distribution in milliseconds. */
    public record Latency(long p50, long p90, long p99, long max) {}

    /** Counts over a set of requests; a latency is null when nothing was measured. */
    public record Usage(
            long requests,
            long errors,
            long inputTokens,
            long outputTokens,
            long cacheReadTokens,
            long cacheCreationTokens,
            long cacheHits,
            Latency duration,
            Latency timeToFirstByte) {}

    /** One endpoint, model or session. */
    public record Group(String name, long lastRequestAt, Usage usage) {}

    /** Everything since {@code since} (epoch milliseconds). */
    public record Summary(
            long since, Usage total, List<Group> byEndpoint, List<Group> byModel, List<Group> bySession) {}

    private final long since;
    private final Counts total = new Counts();
    private final Map<String, Counts> byEndpoint = new HashMap<>();
    private final Map<String, Counts> byModel = new HashMap<>();
    private final LinkedHashMap<String, Counts> bySession = new LinkedHashMap<>(16, 0.75f, true);
    private final ArrayDeque<RequestRecord> recent = new ArrayDeque<>();

    public UsageTracker(long since) {
        this.since = since;
    }

    @Override
    public synchronized void completed(RequestRecord record) {
        total.add(record);
        byEndpoint.computeIfAbsent(orNone(record.endpoint()), k -> new Counts()).add(record);
        String model = record.upstreamModel() != null ? record.upstreamModel() : record.requestedModel();
        byModel.computeIfAbsent(orNone(model), k -> new Counts()).add(record);
        bySession.computeIfAbsent(orNone(record.sessionId()), k -> new Counts()).add(record);
        if (bySession.size() > SESSIONS) {
            Iterator<String> eldest = bySession.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
        recent.addFirst(record);
        if (recent.size() > RECENT) {
            recent.removeLast();
        }
    }

    public synchronized Summary summary() {
        return new Summary(
                since,
                total.usage(),
                groups(
                        byEndpoint,
                        Comparator.comparingLong((Group g) -> g.usage().requests())
                                .reversed()),
                groups(
                        byModel,
                        Comparator.comparingLong((Group g) -> g.usage().requests())
                                .reversed()),
                groups(bySession, Comparator.comparingLong(Group::lastRequestAt).reversed()));
    }

    /** The latest finished requests, newest first. */
    public synchronized List<RequestRecord> recent(int limit) {
        List<RequestRecord> latest = new ArrayList<>();
        for (RequestRecord record : recent) {
            if (latest.size() >= limit) {
                break;
            }
            latest.add(record);
        }
        return latest;
    }

    private static List<Group> groups(Map<String, Counts> counts, Comparator<Group> order) {
        List<Group> groups = new ArrayList<>();
        counts.forEach((name, c) -> groups.add(new Group(name, c.lastRequestAt, c.usage())));
        groups.sort(order.thenComparing(Group::name));
        return groups;
    }

    private static String orNone(String name) {
        return name == null || name.isBlank() ? NONE : name;
    }

    /** Whether a request counts as failed: an error status, or an error inside a stream that began with 200. */
    static boolean failed(RequestRecord record) {
        return record.status() >= 400 || record.errorType() != null;
    }

    private static final class Counts {
        long requests;
        long errors;
        long inputTokens;
        long outputTokens;
        long cacheReadTokens;
        long cacheCreationTokens;
        long cacheHits;
        long lastRequestAt;
        final LatencyHistogram duration = new LatencyHistogram();
        final LatencyHistogram timeToFirstByte = new LatencyHistogram();

        void add(RequestRecord record) {
            requests++;
            errors += failed(record) ? 1 : 0;
            inputTokens += record.inputTokens();
            outputTokens += record.outputTokens();
            cacheReadTokens += record.cacheReadTokens();
            cacheCreationTokens += record.cacheCreationTokens();
            cacheHits += record.cacheHit() ? 1 : 0;
            lastRequestAt = Math.max(lastRequestAt, record.startedAt());
            duration.record(record.durationMillis());
            timeToFirstByte.record(record.timeToFirstByteMillis());
        }

        Usage usage() {
            return new Usage(
                    requests,
                    errors,
                    inputTokens,
                    outputTokens,
                    cacheReadTokens,
                    cacheCreationTokens,
                    cacheHits,
                    latency(duration),
                    latency(timeToFirstByte));
        }

        private static Latency latency(LatencyHistogram histogram) {
            return histogram.count() == 0
                    ? null
                    : new Latency(
                            histogram.percentile(0.50),
                            histogram.percentile(0.90),
                            histogram.percentile(0.99),
                            histogram.max());
        }
    }
}
