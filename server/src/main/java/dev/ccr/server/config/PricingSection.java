package dev.ccr.server.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks and resolves {@code pricing}, the prices (US dollars per million tokens) that costs and budgets are computed
 * from. A key may name an endpoint, which must exist: a typo there would otherwise price nothing, silently.
 */
final class PricingSection {
    private final ConfigProblems problems;

    PricingSection(ConfigProblems problems) {
        this.problems = problems;
    }

    /** Keys are {@code model-glob} or {@code endpoint,model-glob}; input and output prices are required. */
    List<EffectiveConfig.Price> pricing(Map<String, PriceConfig> raw, List<Endpoint> endpoints, ConfigPath at) {
        if (raw == null) {
            return List.of();
        }
        List<EffectiveConfig.Price> prices = new ArrayList<>();
        raw.forEach((key, price) -> {
            ConfigPath here = at.key(key);
            int comma = key.indexOf(',');
            String endpoint = comma < 0 ? null : key.substring(0, comma).strip();
            String model = (comma < 0 ? key : key.substring(comma + 1)).strip();
            if (model.isEmpty()) {
                problems.error(here, "the key needs a model id or glob, e.g. \"glm-4.6\" or \"ollama,*\"");
                return;
            }
            if (endpoint != null && endpoints.stream().noneMatch(e -> e.name().equals(endpoint))) {
                problems.noEndpointNamed(here, endpoint);
                return;
            }
            if (price == null || price.input() == null || price.output() == null) {
                problems.error(here, "input and output prices are required (US dollars per million tokens)");
                return;
            }
            int before = problems.errorCount();
            double input = price(price.input(), here.key("input"));
            double output = price(price.output(), here.key("output"));
            double cacheWrite = price.cacheWrite() == null ? input : price(price.cacheWrite(), here.key("cacheWrite"));
            double cacheRead = price.cacheRead() == null ? input : price(price.cacheRead(), here.key("cacheRead"));
            if (problems.errorCount() == before) {
                prices.add(new EffectiveConfig.Price(endpoint, model, input, output, cacheWrite, cacheRead));
            }
        });
        return List.copyOf(prices);
    }

    private double price(double value, ConfigPath at) {
        if (!Double.isFinite(value) || value < 0) {
            problems.error(at, "a price must be a number of dollars per million tokens, 0 or more");
        }
        return value;
    }
}
