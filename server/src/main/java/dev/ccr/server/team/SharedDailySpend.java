package dev.ccr.server.team;

import dev.ccr.server.limits.DailySpend;
import dev.ccr.server.limits.LocalDailySpend;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each client spent today across the team (docs/TEAM.md): one hash per day in Redis, client → US dollars. A
 * budget check reads this instance's copy of today's totals, kept current by the totals each instance publishes when
 * it adds a cost, so checking costs no round trip (a budget is checked before a request whose cost is known only after
 * it, so it is never exact to the cent anyway).
 *
 * <p>Costs reach Redis in batches, every {@value #FLUSH_MS} ms: one call per client with costs, not one per request.
 * While Redis is unreachable, costs still count here (on top of the last totals heard) and are added to Redis when it
 * is back. Until this instance has heard the team's totals once, it checks against its own count, which starts
 * from its usage history like {@link LocalDailySpend}.
 */
public final class SharedDailySpend implements DailySpend {
    /** Days' spend stays in Redis this long: long enough for any time zone's "today". */
    private static final Duration KEEP = Duration.ofDays(3);
    /** Costs are added to Redis in batches this often (the team hears new totals within this much). */
    static final long FLUSH_MS = 200;

    private final TeamLink link;
    private final LocalDailySpend local;
    private final Clock clock;
    private final Script add;
    /** Costs that could not be added to Redis yet, per day and client. */
    private final Map<LocalDate, Map<String, Double>> pending = new ConcurrentHashMap<>();

    private volatile Totals totals;

    /** Today's team totals as this instance knows them; {@code heard} once read from Redis. */
    private record Totals(LocalDate day, Map<String, Double> spent, boolean heard) {}

    public SharedDailySpend(Vertx vertx, TeamLink link, LocalDailySpend local, Clock clock) {
        this.link = link;
        this.local = local;
        this.clock = clock;
        this.add = link.script("spend");
        this.totals = new Totals(LocalDate.now(clock), new ConcurrentHashMap<>(), false);
        link.onUp(this::resynchronise);
        vertx.setPeriodic(FLUSH_MS, id -> flush());
        link.onMessage(
                "spend",
                message -> heard(
                        message.path("day").asText(),
                        message.path("client").asText(),
                        message.path("total").asDouble()));
    }

    @Override
    public double today(String client) {
        Totals now = current();
        if (!now.heard()) {
            return local.today(client);
        }
        return now.spent().getOrDefault(client, 0.0);
    }

    @Override
    public void add(String client, double usd) {
        local.add(client, usd);
        if (usd <= 0) {
            return;
        }
        Totals now = current();
        now.spent().merge(client, usd, Double::sum);
        if (!link.up()) {
            link.fellBack();
        }
        postpone(now.day(), client, usd);
    }

    @Override
    public void preload(LocalDate day, Map<String, Double> spent) {
        // The usage history is this instance's alone; the team's totals are in Redis.
        local.preload(day, spent);
    }

    @Override
    public Duration untilTomorrow() {
        return local.untilTomorrow();
    }

    private io.vertx.core.Future<Response> send(LocalDate day, String client, double usd) {
        return link.background(
                        add,
                        List.of(key(day)),
                        List.of(
                                client,
                                Double.toString(usd),
                                KEEP.toMillis(),
                                link.channel(),
                                link.instance(),
                                day.toString()))
                .onSuccess(total -> heard(day.toString(), client, total.toDouble()));
    }

    private void postpone(LocalDate day, String client, double usd) {
        // Added inside compute, so never to a day's map that flush() has just taken out (it would be lost).
        pending.compute(day, (d, spent) -> {
            Map<String, Double> into = spent == null ? new ConcurrentHashMap<>() : spent;
            into.merge(client, usd, Double::sum);
            return into;
        });
    }

    /** Adds what was spent since the last flush: one call per client and day, however many requests. */
    private void flush() {
        if (!link.up()) {
            return;
        }
        for (LocalDate day : List.copyOf(pending.keySet())) {
            Map<String, Double> spent = pending.remove(day);
            if (spent != null) {
                spent.forEach((client, usd) -> send(day, client, usd).onFailure(e -> postpone(day, client, usd)));
            }
        }
    }

    /** A total from Redis: totals only grow within a day, so the larger of what is known wins. */
    private void heard(String day, String client, double total) {
        Totals now = current();
        if (now.day().toString().equals(day)) {
            now.spent().merge(client, total, Math::max);
        }
    }

    /** Redis is (back) up: add what was spent meanwhile, then read today's totals. */
    private void resynchronise() {
        flush();
        LocalDate day = LocalDate.now(clock);
        link.send(Request.cmd(Command.HGETALL).arg(key(day))).onSuccess(reply -> {
            Map<String, Double> spent = new ConcurrentHashMap<>();
            if (reply != null) {
                for (String client : reply.getKeys()) {
                    spent.put(client, reply.get(client).toDouble());
                }
            }
            Totals now = current();
            if (now.day().equals(day)) {
                // What was added here meanwhile is in Redis's totals once its own call succeeded; keep the larger.
                now.spent().forEach((client, usd) -> spent.merge(client, usd, Math::max));
                totals = new Totals(day, spent, true);
            }
        });
    }

    private Totals current() {
        Totals now = totals;
        LocalDate today = LocalDate.now(clock);
        if (!now.day().equals(today)) {
            synchronized (this) {
                if (!totals.day().equals(today)) {
                    // A new day: nothing spent yet, as far as anyone can know without asking.
                    totals = new Totals(today, new ConcurrentHashMap<>(), totals.heard());
                }
                now = totals;
            }
        }
        return now;
    }

    private String key(LocalDate day) {
        return link.key("spend:" + day);
    }
}
