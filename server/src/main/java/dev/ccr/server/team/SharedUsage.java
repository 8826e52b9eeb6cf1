package dev.ccr.server.team;

import dev.ccr.server.observe.PricedRequest;
import dev.ccr.server.observe.RequestRecord;
import dev.ccr.server.observe.usage.UsageDatabase;
import dev.ccr.server.observe.usage.UsageGroup;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Adds every finished request to the team's daily totals in Redis, the counts the usage database keeps per day,
 * endpoint, model and client, so that {@code ccr stats} on a team server shows the team's numbers (docs/TEAM.md).
 * Each instance still writes its own {@code usage.db} (sessions and single requests stay there). Totals are summed
 * here and added every {@value #FLUSH_MS} ms, one call per group however many requests; while Redis cannot be reached
 * they keep adding up here, and are added when it is back.
 */
public final class SharedUsage implements Consumer<PricedRequest> {
    /** Team totals stay as long as the usage database keeps its daily totals. */
    static final Duration KEEP = Duration.ofDays(UsageDatabase.DAILY_RETENTION_DAYS);

    static final String SEPARATOR = "\t";
    /** Totals are added to Redis in batches this often. */
    static final long FLUSH_MS = 250;

    private final TeamLink link;
    private final Clock clock;
    private final Script add;
    /** Totals not yet in Redis: day → "endpoint\tmodel\tclient" → counts. */
    private final Map<LocalDate, Map<String, Pending>> pending = new ConcurrentHashMap<>();

    /** Counts as {@code usage.lua} takes them (the last one, a time, is kept as the latest), and the cost. */
    private record Pending(long[] counts, double cost) {
        Pending plus(Pending other) {
            long[] sum = counts.clone();
            for (int i = 0; i < sum.length - 1; i++) {
                sum[i] += other.counts[i];
            }
            sum[sum.length - 1] = Math.max(counts[sum.length - 1], other.counts[sum.length - 1]);
            return new Pending(sum, cost + other.cost);
        }
    }

    public SharedUsage(Vertx vertx, TeamLink link, Clock clock) {
        this.link = link;
        this.clock = clock;
        this.add = link.script("usage");
        link.onUp(this::flush);
        vertx.setPeriodic(FLUSH_MS, id -> flush());
    }

    /** The Redis key of a day's team totals. */
    static String dayKey(String prefix, LocalDate day) {
        return prefix + "usage:" + day;
    }

    @Override
    public void accept(PricedRequest priced) {
        RequestRecord r = priced.record();
        boolean billable = r.billable();
        LocalDate day = LocalDate.ofInstant(Instant.ofEpochMilli(r.startedAt()), clock.getZone());
        String group = orNone(r.endpoint())
                + SEPARATOR
                + orNone(r.upstreamModel() != null ? r.upstreamModel() : r.requestedModel())
                + SEPARATOR
                + orNone(r.client());
        long[] counts = {
            1,
            r.failed() ? 1 : 0,
            billable ? r.inputTokens() : 0,
            billable ? r.outputTokens() : 0,
            billable ? r.cacheReadTokens() : 0,
            billable ? r.cacheCreationTokens() : 0,
            r.cacheHit() ? 1 : 0,
            priced.unpriced() ? 1 : 0,
            priced.costEstimated() ? 1 : 0,
            r.startedAt()
        };
        if (!link.up()) {
            link.fellBack();
        }
        postpone(day, group, counts, priced.knownCost());
    }

    private void send(LocalDate day, String group, long[] counts, double cost) {
        link.background(
                        add,
                        List.of(dayKey(link.settings().keyPrefix(), day)),
                        List.of(
                                group,
                                counts[0],
                                counts[1],
                                counts[2],
                                counts[3],
                                counts[4],
                                counts[5],
                                counts[6],
                                Double.toString(cost),
                                counts[7],
                                counts[8],
                                counts[9],
                                KEEP.toMillis()))
                .onFailure(e -> postpone(day, group, counts, cost));
    }

    private void postpone(LocalDate day, String group, long[] counts, double cost) {
        // Added inside compute, so never to a day's map that flush() has just taken out (it would be lost).
        pending.compute(day, (d, groups) -> {
            Map<String, Pending> into = groups == null ? new ConcurrentHashMap<>() : groups;
            into.merge(group, new Pending(counts.clone(), cost), Pending::plus);
            return into;
        });
    }

    /** Adds what finished since the last flush: one call per day, endpoint, model and client, however many requests. */
    private void flush() {
        if (!link.up()) {
            return;
        }
        for (LocalDate day : List.copyOf(pending.keySet())) {
            Map<String, Pending> groups = pending.remove(day);
            if (groups != null) {
                groups.forEach((group, totals) -> send(day, group, totals.counts(), totals.cost()));
            }
        }
    }

    private static String orNone(String value) {
        return value == null || value.isEmpty() ? UsageGroup.NONE : value.replace(SEPARATOR, " ");
    }
}
