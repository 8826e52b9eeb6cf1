package dev.ccr.server.observe.pricing;

import dev.ccr.server.routing.Glob;
import java.util.List;

/**
 * Prices of well-known models, in US dollars per million tokens, at each vendor's standard pay-as-you-go tier. The
 * first matching pattern wins, so specific ids come before family patterns; {@code ?} stands for the {@code -} or
 * {@code .} between version digits that different gateways spell differently ({@code claude-sonnet-4-5},
 * {@code claude-sonnet-4.5}). Config {@code pricing} entries override all of these.
 *
 * <p>Where the numbers come from, and how fresh they are: the vendors' public pricing pages as they stood in late 2025,
 * cross-checked against copies of those pages dated up to spring 2026. Prices change; nothing here is fetched at run
 * time. Not modelled: long-context surcharges (Claude Sonnet 4/4.5 above 200K input tokens with the 1M-context beta,
 * Gemini 2.5 Pro above 200K, Qwen's length tiers), batch discounts, and Anthropic's one-hour cache writes (2x input;
 * Claude Code's usage arrives as one cache-creation count, priced here at the five-minute rate of 1.25x input).
 */
final class BuiltInPrices {
    record Entry(Glob model, ModelPrice price) {}

    private BuiltInPrices() {}

    /** The newest generation of each Claude family, the price an unknown id of that family is estimated at. */
    private static final ModelPrice OPUS_LATEST = new ModelPrice(4, 20, 5, 0.2);

    private static final ModelPrice SONNET_LATEST = new ModelPrice(2, 10, 2.5, 0.1);
    private static final ModelPrice HAIKU_LATEST = new ModelPrice(0.1, 0.5, 0.125, 0.01);

    static final List<Entry> ALL = List.of(
            // The ids Claude Code sends by default and for its opus/sonnet/haiku aliases, at the prices Claude Code
            // itself computes its total_cost_usd with (measured: 100K tokens of each kind through 2.1.332 and 2.1.197
            // against a local upstream). The 5.5 generation reads its cache at 0.05x input (Haiku 0.1x).
            entry("claude-opus-5?5*", OPUS_LATEST),
            entry("claude-sonnet-5?5*", SONNET_LATEST),
            entry("claude-haiku-5?5*", HAIKU_LATEST),
            claude("claude-opus-4?8*", 5),
            claude("claude-sonnet-5", 3),
            claude("claude-sonnet-5-20*", 3),
            // Anthropic: docs.anthropic.com/en/docs/about-claude/pricing. Cache writes (5 min) 1.25x input, reads 0.1x.
            claude("claude-opus-4?5*", 5),
            claude("claude-opus-4?6*", 5),
            claude("claude-opus-4?7*", 5),
            claude("claude-opus-4?1*", 15),
            claude("claude-opus-4?0*", 15),
            claude("claude-opus-4-2025*", 15),
            claude("claude-opus-4", 15),
            claude("claude-3-opus*", 15),
            claude("claude-sonnet-4*", 3),
            claude("claude-3?7-sonnet*", 3),
            claude("claude-3?5-sonnet*", 3),
            claude("claude-haiku-4*", 1),
            claude("claude-3?5-haiku*", 0.80),
            entry("claude-3-haiku*", new ModelPrice(0.25, 1.25, 0.30, 0.03)),
            // Ids newer than this table, priced by their family and marked estimated: later 4.x releases at their
            // line's
            // tier (Opus $5 since 4.5, Sonnet $3/$15 since Claude 3), anything else at the family's newest price.
            // Override under "pricing", or run `ccr pricing update`, when a release changes that.
            estimate(claude("claude-opus-4?*", 5)),
            estimate(claude("claude-sonnet-4?*", 3)),
            estimate(entry("claude-opus-*", OPUS_LATEST)),
            estimate(entry("claude-sonnet-*", SONNET_LATEST)),
            estimate(entry("claude-haiku-*", HAIKU_LATEST)),
            estimate(entry("claude-*opus*", OPUS_LATEST)),
            estimate(entry("claude-*sonnet*", SONNET_LATEST)),
            estimate(entry("claude-*haiku*", HAIKU_LATEST)),

            // OpenAI: platform.openai.com/docs/pricing (standard tier). No charge for cache writes.
            entry("gpt-5-nano*", ModelPrice.of(0.05, 0.40, 0.005)),
            entry("gpt-5-mini*", ModelPrice.of(0.25, 2.00, 0.025)),
            entry("gpt-5", ModelPrice.of(1.25, 10.00, 0.125)),
            entry("gpt-5-2025*", ModelPrice.of(1.25, 10.00, 0.125)),
            entry("gpt-5-chat*", ModelPrice.of(1.25, 10.00, 0.125)),
            entry("gpt-4?1-nano*", ModelPrice.of(0.10, 0.40, 0.025)),
            entry("gpt-4?1-mini*", ModelPrice.of(0.40, 1.60, 0.10)),
            entry("gpt-4?1*", ModelPrice.of(2.00, 8.00, 0.50)),
            entry("gpt-4o-mini*", ModelPrice.of(0.15, 0.60, 0.075)),
            entry("gpt-4o*", ModelPrice.of(2.50, 10.00, 1.25)),
            entry("o4-mini*", ModelPrice.of(1.10, 4.40, 0.275)),
            entry("o3", ModelPrice.of(2.00, 8.00, 0.50)),
            entry("o3-2025*", ModelPrice.of(2.00, 8.00, 0.50)),

            // DeepSeek: api-docs.deepseek.com/quick_start/pricing, the DeepSeek-V3.2 list in force since 2025-09-29
            // (both ids, cache miss $0.28, cache hit $0.028, output $0.42).
            entry("deepseek-chat", ModelPrice.of(0.28, 0.42, 0.028)),
            entry("deepseek-reasoner", ModelPrice.of(0.28, 0.42, 0.028)),

            // Z.ai GLM: docs.z.ai pricing (international, USD). Cached input at the listed cache-hit price.
            entry("glm-4?5-air*", ModelPrice.of(0.20, 1.10, 0.03)),
            entry("glm-4?5-flash*", ModelPrice.of(0, 0, 0)),
            entry("glm-4?5*", ModelPrice.of(0.60, 2.20, 0.11)),
            entry("glm-4?6*", ModelPrice.of(0.60, 2.20, 0.11)),

            // Qwen: Alibaba Cloud Model Studio, international deployment, the first input-length tier (up to 32K
            // tokens; longer prompts cost more). Implicit cache hits at 20% of input.
            entry("qwen3-coder-plus*", ModelPrice.of(1.00, 5.00, 0.20)),
            entry("qwen3-max*", ModelPrice.of(1.20, 6.00, 0.24)),

            // Google Gemini: ai.google.dev/gemini-api/docs/pricing (paid tier, prompts up to 200K tokens). Cached
            // input at the context-caching price; cache storage per hour is not counted.
            entry("gemini-2?5-pro*", ModelPrice.of(1.25, 10.00, 0.125)),
            entry("gemini-2?5-flash-lite*", ModelPrice.of(0.10, 0.40, 0.01)),
            entry("gemini-2?5-flash*", ModelPrice.of(0.30, 2.50, 0.03)));

    /** Anthropic's scheme: five-minute cache writes cost 1.25x input, cache reads 0.1x, output 5x. */
    private static Entry claude(String pattern, double input) {
        return entry(pattern, new ModelPrice(input, cents(input * 5), cents(input * 1.25), cents(input * 0.1)));
    }

    /** Rounded to a thousandth of a cent, so 3 x 0.1 is 0.30 and not 0.30000000000000004. */
    private static double cents(double dollars) {
        return Math.round(dollars * 100_000) / 100_000.0;
    }

    private static Entry estimate(Entry entry) {
        return new Entry(entry.model(), entry.price().asEstimate());
    }

    private static Entry entry(String pattern, ModelPrice price) {
        return new Entry(Glob.compile(pattern), price);
    }
}
