package dev.ccr.server.observe.pricing;

/**
 * What a model costs, in US dollars per million tokens, for each kind of token Anthropic's usage distinguishes. Input
 * tokens exclude cache reads and writes (Anthropic's {@code input_tokens}); translated upstreams report theirs the same
 * way, so one formula serves every format.
 *
 * @param estimated whether this is a guess from the model's family (a Claude id newer than the table), not its list
 *     price; costs computed with it are marked estimated in the request log and stats
 */
public record ModelPrice(double input, double output, double cacheWrite, double cacheRead, boolean estimated) {
    private static final double PER_MILLION = 1_000_000.0;

    /** A list price. */
    public ModelPrice(double input, double output, double cacheWrite, double cacheRead) {
        this(input, output, cacheWrite, cacheRead, false);
    }

    /** The same price, as an estimate. */
    public ModelPrice asEstimate() {
        return new ModelPrice(input, output, cacheWrite, cacheRead, true);
    }

    /** A price whose cache writes cost the same as input: upstreams that do not charge extra for caching. */
    public static ModelPrice of(double input, double output, double cacheRead) {
        return new ModelPrice(input, output, input, cacheRead);
    }

    public double cost(long inputTokens, long outputTokens, long cacheWriteTokens, long cacheReadTokens) {
        return (inputTokens * input
                        + outputTokens * output
                        + cacheWriteTokens * cacheWrite
                        + cacheReadTokens * cacheRead)
                / PER_MILLION;
    }
}
