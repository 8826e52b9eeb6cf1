package dev.ccr.server.observe;

import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.observe.log.RequestLog;
import dev.ccr.server.observe.log.RequestLogFiles;
import dev.ccr.server.observe.metrics.RouterMetrics;
import dev.ccr.server.observe.pricing.FetchedPrices;
import dev.ccr.server.observe.pricing.PriceBook;
import dev.ccr.server.observe.redact.KnownSecrets;
import dev.ccr.server.observe.redact.Redactor;
import dev.ccr.server.observe.usage.Grouping;
import dev.ccr.server.observe.usage.LiveStats;
import dev.ccr.server.observe.usage.LiveSummary;
import dev.ccr.server.observe.usage.UsageDatabase;
import dev.ccr.server.observe.usage.UsageQueries;
import dev.ccr.server.observe.usage.UsageRecorder;
import dev.ccr.server.observe.usage.UsageReport;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything that watches finished requests: it prices each one, then feeds the metrics, the live stats, the request
 * log and the usage database, and tells subscribers. On the request path it only updates in-memory counters and queues
 * work for the log's and the database's own threads.
 */
public final class Observability implements RequestListener, StatsQuery, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Observability.class);

    private final Path home;
    private final Clock clock;
    private final RouterMetrics metrics;
    private final LiveStats live;
    private final List<Consumer<PricedRequest>> subscribers = new CopyOnWriteArrayList<>();
    private final Set<String> warnedUnpriced = ConcurrentHashMap.newKeySet();
    private final UsageQueries queries;
    private volatile EffectiveConfig config;
    private volatile PriceBook prices;
    private volatile Redactor redactor;
    // Set once by open(), after the servers are listening; read on the event loops.
    private volatile RequestLog requestLog;
    private volatile UsageRecorder usage;

    /**
     * @param home where the request log and the usage database live ({@code ~/.claude-code-router}), or {@code null}
     *     to keep nothing on disk (metrics and live stats only)
     */
    public Observability(EffectiveConfig config, Path home, Clock clock) {
        this(config, home, clock, new RouterMetrics());
    }

    /** With metrics made elsewhere: their registry takes a few hundred milliseconds to load, worth doing in parallel. */
    public Observability(EffectiveConfig config, Path home, Clock clock, RouterMetrics metrics) {
        this.metrics = metrics;
        this.home = home;
        this.clock = clock;
        this.live = new LiveStats(clock.millis());
        this.queries = home == null ? null : new UsageQueries(home.resolve(UsageDatabase.FILE_NAME));
        configure(config);
    }

    /** Starts writing to disk, once the port (which names the request log) is known. */
    public void open(int port) {
        if (home == null) {
            return;
        }
        EffectiveConfig current = config;
        requestLog = new RequestLog(new RequestLogFiles(home.resolve("logs"), port), clock, current.log(), redactor);
        usage = new UsageRecorder(queries.file(), clock, current.log().usageRetention());
        metrics.trackDropped("request_log", requestLog, RequestLog::dropped);
        metrics.trackDropped("usage", usage, UsageRecorder::dropped);
    }

    /** Applies a (re)loaded config: prices, secrets to redact, log settings. */
    public void configure(EffectiveConfig next) {
        this.config = next;
        this.prices = PriceBook.of(next.pricing(), FetchedPrices.load(home));
        this.redactor = KnownSecrets.apply(next);
        warnedUnpriced.clear();
        if (requestLog != null) {
            requestLog.configure(next.log(), redactor);
            usage.retention(next.log().usageRetention());
        }
    }

    public RouterMetrics metrics() {
        return metrics;
    }

    @Override
    public void started() {
        metrics.started();
    }

    @Override
    public void completed(RequestRecord record) {
        PricedRequest priced = PricedRequest.of(record, prices);
        if (priced.unpriced()) {
            warnUnpriced(record);
        }
        metrics.completed(priced);
        live.add(priced);
        RequestLog lines = requestLog;
        UsageRecorder recorder = usage;
        if (lines != null && recorder != null) {
            lines.offer(priced);
            recorder.offer(priced);
        }
        for (Consumer<PricedRequest> subscriber : subscribers) {
            try {
                subscriber.accept(priced);
            } catch (RuntimeException e) {
                log.warn("stats subscriber failed: {}", e.toString());
            }
        }
    }

    private void warnUnpriced(RequestRecord record) {
        if (warnedUnpriced.add(record.endpoint() + "," + record.upstreamModel())) {
            log.warn(
                    "no price is known for model \"{}\" on endpoint \"{}\"; its cost is not counted. Add it under"
                            + " \"pricing\" in the config, e.g. \"{},{}\": {\"input\": 1.0, \"output\": 5.0}"
                            + " (US dollars per million tokens)",
                    record.upstreamModel(),
                    record.endpoint(),
                    record.endpoint(),
                    record.upstreamModel());
        }
    }

    @Override
    public LiveSummary live() {
        return live.summary();
    }

    @Override
    public List<PricedRequest> recent(int limit) {
        return live.recent(limit);
    }

    @Override
    public Optional<UsageReport> usage(LocalDate from, LocalDate to, Grouping by, String sessionId)
            throws SQLException {
        if (queries == null) {
            return Optional.empty();
        }
        // What this router queued a moment ago should be in the answer.
        if (usage != null) {
            usage.flush(Duration.ofSeconds(2));
        }
        return queries.report(from, to, by, sessionId);
    }

    /**
     * What each client spent on {@code day} before {@code before} (epoch milliseconds), from the usage history; empty
     * when there is none. Blocking: call it off the event loop.
     */
    public java.util.Map<String, Double> spentByClient(LocalDate day, long before) throws SQLException {
        return queries == null ? java.util.Map.of() : queries.spentByClient(day, before);
    }

    @Override
    public AutoCloseable subscribe(Consumer<PricedRequest> listener) {
        subscribers.add(listener);
        return () -> subscribers.remove(listener);
    }

    /** Waits until what was recorded so far is on disk; for tests and orderly shutdown. */
    public boolean flush(Duration timeout) {
        boolean logged = requestLog == null || requestLog.flush(timeout);
        boolean stored = usage == null || usage.flush(timeout);
        return logged && stored;
    }

    @Override
    public void close() {
        if (requestLog != null) {
            requestLog.close();
            usage.close();
        }
        metrics.close();
    }
}
