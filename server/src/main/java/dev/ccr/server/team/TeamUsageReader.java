package dev.ccr.server.team;

import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.observe.usage.Grouping;
import dev.ccr.server.observe.usage.UsageGroup;
import dev.ccr.server.observe.usage.UsageReport;
import dev.ccr.server.observe.usage.UsageTotals;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Reads the team's daily totals from Redis (written by {@link SharedUsage}) for {@code ccr stats} on a team server:
 * the same report the usage database gives, by model, endpoint, client or day, but counting every instance's requests.
 * Blocking; for the command line.
 */
public final class TeamUsageReader {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private TeamUsageReader() {}

    /**
     * The team's usage over whole days.
     *
     * @throws Exception when Redis cannot be reached or read in a few seconds; the message says why (never the password)
     */
    public static UsageReport report(EffectiveConfig.Shared shared, LocalDate from, LocalDate to, Grouping by)
            throws Exception {
        if (by == Grouping.SESSION) {
            throw new IllegalArgumentException("sessions are kept by each instance, not the team");
        }
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        try {
            Redis client = Redis.createClient(vertx, TeamLink.options(shared));
            RedisConnection connection = client.connect().await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            List<Future<Response>> days = new ArrayList<>();
            List<LocalDate> dates = new ArrayList<>();
            for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
                dates.add(day);
                days.add(
                        connection.send(Request.cmd(Command.HGETALL).arg(SharedUsage.dayKey(shared.keyPrefix(), day))));
            }
            Future.all(days).await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            Map<String, Counts> groups = new HashMap<>();
            Counts total = new Counts();
            for (int i = 0; i < dates.size(); i++) {
                add(days.get(i).result(), dates.get(i), by, groups, total);
            }
            connection.close();
            List<UsageGroup> list = new ArrayList<>();
            groups.forEach((name, counts) -> list.add(counts.group(name)));
            list.sort(
                    by == Grouping.DAY
                            ? Comparator.comparing(UsageGroup::name)
                            : Comparator.comparingDouble(
                                            (UsageGroup g) -> -g.usage().costUsd())
                                    .thenComparingLong(g -> -g.usage().requests())
                                    .thenComparing(UsageGroup::name));
            return new UsageReport(from, to, null, by, total.group("total").usage(), List.copyOf(list));
        } finally {
            vertx.close().await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** One day's hash: "endpoint\tmodel\tclient\tcount" → value. */
    private static void add(Response day, LocalDate date, Grouping by, Map<String, Counts> groups, Counts total) {
        if (day == null || day.size() == 0) {
            return;
        }
        for (String field : day.getKeys()) {
            String[] parts = field.split(SharedUsage.SEPARATOR, -1);
            if (parts.length != 4) {
                continue;
            }
            String name =
                    switch (by) {
                        case ENDPOINT -> parts[0];
                        case MODEL -> parts[1];
                        case CLIENT -> parts[2];
                        default -> date.toString();
                    };
            String value = day.get(field).toString();
            groups.computeIfAbsent(name, n -> new Counts()).add(parts[3], value);
            total.add(parts[3], value);
        }
    }

    /** Sums of one group. */
    private static final class Counts {
        long requests;
        long errors;
        long input;
        long output;
        long cacheRead;
        long cacheCreation;
        long cacheHits;
        double cost;
        long unpriced;
        long estimated;
        long last;

        void add(String count, String value) {
            switch (count) {
                case "requests" -> requests += Long.parseLong(value);
                case "errors" -> errors += Long.parseLong(value);
                case "input" -> input += Long.parseLong(value);
                case "output" -> output += Long.parseLong(value);
                case "cacheRead" -> cacheRead += Long.parseLong(value);
                case "cacheCreation" -> cacheCreation += Long.parseLong(value);
                case "cacheHits" -> cacheHits += Long.parseLong(value);
                case "cost" -> cost += Double.parseDouble(value);
                case "unpriced" -> unpriced += Long.parseLong(value);
                case "estimated" -> estimated += Long.parseLong(value);
                case "last" -> last = Math.max(last, Long.parseLong(value));
                default -> {
                    // a count a newer version added: not shown by this one
                }
            }
        }

        UsageGroup group(String name) {
            return new UsageGroup(
                    name,
                    last,
                    new UsageTotals(
                            requests,
                            errors,
                            input,
                            output,
                            cacheRead,
                            cacheCreation,
                            cacheHits,
                            cost,
                            unpriced,
                            estimated),
                    null,
                    null);
        }
    }
}
