package dev.ccr.server.observe;

import dev.ccr.server.observe.pricing.ModelPrice;
import dev.ccr.server.observe.pricing.PriceBook;

/**
 * A finished request with what it cost: what the request log writes, metrics and usage count, and the editor is told.
 *
 * @param costUsd the cost in US dollars; {@code 0} when nothing was consumed, {@code null} when tokens were consumed
 *     but no price is known for the model
 * @param costEstimated whether the cost comes from a price estimated by the model's family, not its list price
 */
public record PricedRequest(RequestRecord record, Double costUsd, boolean costEstimated) {

    public PricedRequest(RequestRecord record, Double costUsd) {
        this(record, costUsd, false);
    }

    /** Prices a record with the given book. */
    public static PricedRequest of(RequestRecord record, PriceBook prices) {
        if (!record.billable() || record.totalTokens() == 0) {
            return new PricedRequest(record, 0.0, false);
        }
        return prices.find(record.endpoint(), record.upstreamModel())
                .map(price -> new PricedRequest(record, cost(price, record), price.estimated()))
                .orElseGet(() -> new PricedRequest(record, null, false));
    }

    private static double cost(ModelPrice price, RequestRecord r) {
        return price.cost(r.inputTokens(), r.outputTokens(), r.cacheCreationTokens(), r.cacheReadTokens());
    }

    /** Whether tokens were consumed at a price nobody told the router. */
    public boolean unpriced() {
        return costUsd == null;
    }

    /** The cost, counting an unknown price as zero: for sums that also report how many were unpriced. */
    public double knownCost() {
        return costUsd == null ? 0 : costUsd;
    }
}
