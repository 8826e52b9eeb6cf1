package dev.ccr.server.observe.metrics;

import dev.ccr.server.Version;
import dev.ccr.server.observe.PricedRequest;
import dev.ccr.server.observe.RequestRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The router's Prometheus metrics. Names follow Prometheus conventions (base units, {@code _total} counters, a
 * {@code ccr_} prefix); Micrometer adds the suffixes:
 *
 * <ul>
 *   <li>{@code ccr_requests_total{operation,endpoint,model,status}}: finished API requests ({@code status} 499: the
 *       client left first)
 *   <li>{@code ccr_request_errors_total{endpoint,type}}: failed requests by Anthropic error type (also errors inside a
 *       started stream, and {@code client_closed})
 *   <li>{@code ccr_request_duration_seconds{operation,endpoint}}, {@code ccr_time_to_first_byte_seconds{endpoint}},
 *       {@code ccr_upstream_duration_seconds{endpoint}}, {@code ccr_router_overhead_seconds}: histograms
 *   <li>{@code ccr_tokens_total{endpoint,model,type}} ({@code type}: input, output, cache_read, cache_creation),
 *       {@code ccr_cost_usd_total{endpoint,model}}, {@code ccr_unpriced_requests_total{endpoint,model}} (tokens spent on
 *       a model without a known price)
 *   <li>{@code ccr_response_cache_hits_total{endpoint}}
 *   <li>{@code ccr_requests_in_flight}; fed by the resilience layer: {@code ccr_endpoint_circuit_state{endpoint,state}}
 *       (1 for the current state, 0 for the others), {@code ccr_endpoint_in_flight{endpoint}}
 *   <li>{@code ccr_observe_dropped_total{sink}}: request log lines and usage rows dropped because the disk fell behind
 *   <li>team mode only: {@code ccr_shared_state_up}, {@code ccr_shared_fallbacks_total} ({@link #trackShared})
 *   <li>{@code ccr_info{version}}, and the JVM's ({@code jvm_*}, {@code process_*}, {@code system_*})
 * </ul>
 *
 * Recording happens on the event loop: meters are looked up in concurrent maps and updated with lock-free adders.
 */
public final class RouterMetrics implements AutoCloseable {
    static final String NONE = "none";
    /** Model names can come from clients ({@code endpoint,model}); past this many series they are folded into one. */
    private static final int MAX_MODEL_SERIES = 500;

    private static final Duration[] DURATION_BUCKETS =
            seconds(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600);
    private static final Duration[] TTFB_BUCKETS = seconds(0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 20, 30, 60);
    private static final Duration[] OVERHEAD_BUCKETS =
            seconds(0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25);

    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Timer overhead;
    private final Map<String, Counter> requests = new ConcurrentHashMap<>();
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();
    private final Map<String, ModelMeters> models = new ConcurrentHashMap<>();
    private final Map<String, EndpointMeters> endpoints = new ConcurrentHashMap<>();

    public RouterMetrics() {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        Gauge.builder("ccr.info", () -> 1)
                .description("The running ccr; its version as a label")
                .tag("version", Version.current())
                .register(registry);
        Gauge.builder("ccr.requests.in.flight", inFlight, AtomicInteger::get)
                .description("API requests being served, streams included")
                .register(registry);
        overhead = Timer.builder("ccr.router.overhead")
                .description("The router's own time per request: total time less the upstream's")
                .serviceLevelObjectives(OVERHEAD_BUCKETS)
                .register(registry);
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    public void started() {
        inFlight.incrementAndGet();
    }

    public void completed(PricedRequest priced) {
        inFlight.decrementAndGet();
        RequestRecord r = priced.record();
        String endpoint = label(r.endpoint());
        String model = modelLabel(endpoint, r.upstreamModel());
        String status = Integer.toString(r.status());
        requests.computeIfAbsent(r.operation() + '|' + endpoint + '|' + model + '|' + status, k -> Counter.builder(
                                "ccr.requests")
                        .description("Finished API requests")
                        .tags("operation", r.operation(), "endpoint", endpoint, "model", model, "status", status)
                        .register(registry))
                .increment();
        if (r.failed()) {
            String type = r.errorType() != null ? r.errorType() : "http_" + status;
            errors.computeIfAbsent(endpoint + '|' + type, k -> Counter.builder("ccr.request.errors")
                            .description("Failed requests by Anthropic error type")
                            .tags("endpoint", endpoint, "type", type)
                            .register(registry))
                    .increment();
        }
        EndpointMeters timing = endpoints.computeIfAbsent(
                r.operation() + '|' + endpoint, k -> new EndpointMeters(r.operation(), endpoint));
        timing.duration.record(r.durationMillis(), TimeUnit.MILLISECONDS);
        if (r.timeToFirstByteMillis() >= 0) {
            timing.ttfb.record(r.timeToFirstByteMillis(), TimeUnit.MILLISECONDS);
        }
        if (r.upstreamMillis() >= 0) {
            timing.upstream.record(r.upstreamMillis(), TimeUnit.MILLISECONDS);
        }
        if (r.cacheHit()) {
            timing.cacheHits.increment();
        }
        overhead.record(r.overheadMicros(), TimeUnit.MICROSECONDS);
        if (r.billable() && r.totalTokens() > 0) {
            ModelMeters usage = models.computeIfAbsent(endpoint + '|' + model, k -> new ModelMeters(endpoint, model));
            usage.input.increment(r.inputTokens());
            usage.output.increment(r.outputTokens());
            usage.cacheRead.increment(r.cacheReadTokens());
            usage.cacheCreation.increment(r.cacheCreationTokens());
            if (priced.unpriced()) {
                usage.unpriced.increment();
            } else {
                usage.cost.increment(priced.costUsd());
            }
        }
    }

    /**
     * Reports an endpoint's circuit breaker as {@code ccr_endpoint_circuit_state{endpoint,state}}: one series per
     * state, 1 for the current one. For the resilience layer; close the handle when the endpoint goes away.
     */
    public AutoCloseable trackCircuit(String endpoint, Supplier<BreakerState> state) {
        List<Meter> meters = new ArrayList<>();
        for (BreakerState each : BreakerState.values()) {
            meters.add(Gauge.builder("ccr.endpoint.circuit.state", () -> state.get() == each ? 1 : 0)
                    .description("Circuit breaker state per endpoint: 1 for the current state")
                    .tags("endpoint", endpoint, "state", each.label())
                    .register(registry));
        }
        return () -> meters.forEach(registry::remove);
    }

    /** Reports requests in flight to one endpoint as {@code ccr_endpoint_in_flight{endpoint}}; for the resilience layer. */
    public AutoCloseable trackEndpointInFlight(String endpoint, IntSupplier inFlight) {
        Meter gauge = Gauge.builder("ccr.endpoint.in.flight", inFlight::getAsInt)
                .description("Requests in flight to an endpoint")
                .tag("endpoint", endpoint)
                .register(registry);
        return () -> registry.remove(gauge);
    }

    /**
     * Team mode (docs/TEAM.md): {@code ccr_shared_state_up} is 1 while limits, budgets, breakers and the cache are
     * shared through Redis and 0 while this instance runs on its own state; {@code ccr_shared_fallbacks_total} counts
     * the calls answered with this instance's own state instead.
     */
    public void trackShared(java.util.function.BooleanSupplier up, java.util.function.LongSupplier fallbacks) {
        Gauge.builder("ccr.shared.state.up", () -> up.getAsBoolean() ? 1 : 0)
                .description("1 while state is shared through Redis, 0 while this instance runs on its own")
                .register(registry);
        FunctionCounter.builder("ccr.shared.fallbacks", fallbacks, java.util.function.LongSupplier::getAsLong)
                .description("Calls answered with this instance's own state because Redis was unreachable or slow")
                .register(registry);
    }

    /** Counts what a writer dropped, as {@code ccr_observe_dropped_total{sink}}. */
    public <T> void trackDropped(String sink, T source, ToDoubleFunction<T> dropped) {
        FunctionCounter.builder("ccr.observe.dropped", source, dropped)
                .description("Request log lines and usage rows dropped because writing fell behind")
                .tag("sink", sink)
                .register(registry);
    }

    private String modelLabel(String endpoint, String model) {
        String label = label(model);
        if (models.size() >= MAX_MODEL_SERIES && !models.containsKey(endpoint + '|' + label)) {
            return "other";
        }
        return label;
    }

    private static String label(String value) {
        return value == null ? NONE : value;
    }

    private static Duration[] seconds(double... values) {
        Duration[] out = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Duration.ofNanos((long) (values[i] * 1e9));
        }
        return out;
    }

    private final class EndpointMeters {
        final Timer duration;
        final Timer ttfb;
        final Timer upstream;
        final Counter cacheHits;

        EndpointMeters(String operation, String endpoint) {
            duration = Timer.builder("ccr.request.duration")
                    .description("From a request's arrival to its last byte")
                    .tags("operation", operation, "endpoint", endpoint)
                    .serviceLevelObjectives(DURATION_BUCKETS)
                    .register(registry);
            ttfb = Timer.builder("ccr.time.to.first.byte")
                    .description("From a request's arrival to the first byte sent back")
                    .tag("endpoint", endpoint)
                    .serviceLevelObjectives(TTFB_BUCKETS)
                    .register(registry);
            upstream = Timer.builder("ccr.upstream.duration")
                    .description("From the first upstream attempt to the upstream's last byte")
                    .tag("endpoint", endpoint)
                    .serviceLevelObjectives(DURATION_BUCKETS)
                    .register(registry);
            cacheHits = Counter.builder("ccr.response.cache.hits")
                    .description("Answers served from the router's response cache")
                    .tag("endpoint", endpoint)
                    .register(registry);
        }
    }

    private final class ModelMeters {
        final Counter input;
        final Counter output;
        final Counter cacheRead;
        final Counter cacheCreation;
        final Counter cost;
        final Counter unpriced;

        ModelMeters(String endpoint, String model) {
            input = tokens(endpoint, model, "input");
            output = tokens(endpoint, model, "output");
            cacheRead = tokens(endpoint, model, "cache_read");
            cacheCreation = tokens(endpoint, model, "cache_creation");
            cost = Counter.builder("ccr.cost.usd")
                    .description("What requests cost, in US dollars, at the configured or built-in prices")
                    .tags("endpoint", endpoint, "model", model)
                    .register(registry);
            unpriced = Counter.builder("ccr.unpriced.requests")
                    .description("Requests that spent tokens on a model without a known price")
                    .tags("endpoint", endpoint, "model", model)
                    .register(registry);
        }

        private Counter tokens(String endpoint, String model, String type) {
            return Counter.builder("ccr.tokens")
                    .description("Tokens used, by kind (input excludes cache reads and writes)")
                    .tags("endpoint", endpoint, "model", model, "type", type)
                    .register(registry);
        }
    }

    @Override
    public void close() {
        gcMetrics.close();
        registry.close();
    }
}
