package dev.ccr.server.limits;

import dev.ccr.server.config.EffectiveConfig.ClientLimits;
import dev.ccr.server.config.Endpoint;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Locale;

/**
 * Flow control (DESIGN §5): what each client may use (rates, concurrency, daily budget) and what may be sent to each
 * endpoint. Requests in flight per endpoint are always counted, limits or not: least-busy balancing and the {@code
 * ccr_endpoint_in_flight} gauge read them.
 */
public final class FlowControl {
    private static final Future<LimitAdmission> NONE = Future.succeededFuture(Permit.NONE);

    private final Limiter clients;
    private final Limiter endpoints;
    private final DailySpend spend;
    private final AdmissionQueue queue = new AdmissionQueue();

    public FlowControl(Limiter clients, Limiter endpoints, DailySpend spend) {
        this.clients = clients;
        this.endpoints = endpoints;
        this.spend = spend;
        clients.onRelease(key -> queue.released(clientKey(key)));
        endpoints.onRelease(key -> queue.released(endpointKey(key)));
    }

    /** Admits one request of a client, or refuses it; a spent budget refuses until the day ends. */
    public Future<LimitAdmission> admitClient(String client, ClientLimits limits, long tokens) {
        if (limits.none()) {
            return NONE;
        }
        if (limits.dailyBudgetUsd() > 0) {
            double spent = spend.today(client);
            if (spent >= limits.dailyBudgetUsd()) {
                return Future.succeededFuture(new LimitAdmission.Refused(
                        spend.untilTomorrow(),
                        String.format(
                                Locale.ROOT,
                                "client \"%s\" spent $%.2f today, its daily budget is $%.2f (dailyBudgetUsd)",
                                client,
                                spent,
                                limits.dailyBudgetUsd()),
                        false));
            }
        }
        return limits.rates().none() ? NONE : clients.acquire(client, limits.rates(), tokens);
    }

    /** Admits one attempt to an endpoint, or refuses it (the route then tries its other targets). */
    public Future<LimitAdmission> admitEndpoint(Endpoint endpoint, long tokens) {
        return endpoints.acquire(endpoint.name(), endpoint.limits(), tokens);
    }

    /** Whether the endpoint has room for one more request in flight; other limits are checked on admission. */
    public boolean hasRoom(Endpoint endpoint) {
        int max = endpoint.limits().maxConcurrent();
        return max == 0 || endpoints.inFlight(endpoint.name()) < max;
    }

    public int inFlight(String endpoint) {
        return endpoints.inFlight(endpoint);
    }

    /** Counts a finished request's cost against its client's daily budget. */
    public void spent(String client, double usd) {
        spend.add(client, usd);
    }

    public DailySpend spend() {
        return spend;
    }

    public AdmissionQueue queue() {
        return queue;
    }

    public Limiter clients() {
        return clients;
    }

    public Limiter endpoints() {
        return endpoints;
    }

    /** The queue key of a client's limits. */
    public static String clientKey(String client) {
        return "client:" + client;
    }

    /** The queue key of an endpoint's limits. */
    public static String endpointKey(String endpoint) {
        return "endpoint:" + endpoint;
    }

    /** How long to tell a client to wait after a refusal that gives no time (a second, as good a guess as any). */
    public static Duration waitOf(LimitAdmission.Refused refused) {
        return refused.retryAfter() == null ? Duration.ofSeconds(1) : refused.retryAfter();
    }
}
