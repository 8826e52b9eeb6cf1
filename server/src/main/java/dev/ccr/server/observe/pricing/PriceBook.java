package dev.ccr.server.observe.pricing;

import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.routing.Glob;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the price of a model served by an endpoint: the config's {@code pricing} entries first (those naming the
 * endpoint before those for any endpoint, each in the order written), then the table {@code ccr pricing update}
 * fetched ({@link FetchedPrices}), then the built-in table. Built from one config snapshot; a reload builds a new book
 * (and reads the fetched table again).
 */
public final class PriceBook {
    /** Lookups repeat for every request; the cache stops growing here, in case model names come from clients. */
    private static final int MAX_CACHED = 1024;

    private final List<Override> overrides;
    private final FetchedPrices fetched;
    private final Map<String, Optional<ModelPrice>> cache = new ConcurrentHashMap<>();

    private record Override(String endpoint, Glob model, ModelPrice price) {}

    private PriceBook(List<Override> overrides, FetchedPrices fetched) {
        this.overrides = overrides;
        this.fetched = fetched;
    }

    public static PriceBook of(List<EffectiveConfig.Price> configured) {
        return of(configured, FetchedPrices.NONE);
    }

    /** With a fetched table between the config's prices and the built-in ones. */
    public static PriceBook of(List<EffectiveConfig.Price> configured, FetchedPrices fetched) {
        List<Override> forEndpoint = configured.stream()
                .filter(p -> p.endpoint() != null)
                .map(PriceBook::override)
                .toList();
        List<Override> forAny = configured.stream()
                .filter(p -> p.endpoint() == null)
                .map(PriceBook::override)
                .toList();
        return new PriceBook(
                java.util.stream.Stream.concat(forEndpoint.stream(), forAny.stream())
                        .toList(),
                fetched);
    }

    private static Override override(EffectiveConfig.Price p) {
        return new Override(
                p.endpoint(),
                Glob.compile(p.model()),
                new ModelPrice(p.input(), p.output(), p.cacheWrite(), p.cacheRead()));
    }

    /** The price of {@code model} on {@code endpoint}, if the config or the built-in table knows it. */
    public Optional<ModelPrice> find(String endpoint, String model) {
        if (model == null) {
            return Optional.empty();
        }
        String key = endpoint + "," + model;
        Optional<ModelPrice> known = cache.get(key);
        if (known != null) {
            return known;
        }
        Optional<ModelPrice> found = lookUp(endpoint, model);
        if (cache.size() < MAX_CACHED) {
            cache.put(key, found);
        }
        return found;
    }

    private Optional<ModelPrice> lookUp(String endpoint, String model) {
        for (Override o : overrides) {
            if ((o.endpoint() == null || o.endpoint().equals(endpoint))
                    && o.model().matches(model)) {
                return Optional.of(o.price());
            }
        }
        String canonical = canonical(model);
        Optional<ModelPrice> listed = fetched.find(canonical);
        if (listed.isPresent()) {
            return listed;
        }
        for (BuiltInPrices.Entry entry : BuiltInPrices.ALL) {
            if (entry.model().matches(canonical)) {
                return Optional.of(entry.price());
            }
        }
        return Optional.empty();
    }

    /**
     * The bare model id gateways wrap in their own prefixes: {@code anthropic/claude-sonnet-4.5} (OpenRouter),
     * {@code us.anthropic.claude-sonnet-4-5-20250929-v1:0} (Bedrock), {@code models/gemini-2.5-pro}.
     */
    static String canonical(String model) {
        String bare = model.substring(model.lastIndexOf('/') + 1);
        int claude = bare.indexOf("claude-");
        return claude > 0 ? bare.substring(claude) : bare;
    }
}
