package dev.ccr.server.observe.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccr.server.config.EffectiveConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class PriceBookTest {
    private final PriceBook builtIn = PriceBook.of(List.of());

    private double input(PriceBook book, String endpoint, String model) {
        return book.find(endpoint, model).orElseThrow().input();
    }

    @Test
    void claudeModelsArePricedWithTheirCacheRates() {
        ModelPrice sonnet = builtIn.find("a", "claude-sonnet-4-5-20250929").orElseThrow();
        assertThat(sonnet).isEqualTo(new ModelPrice(3, 15, 3.75, 0.30));
        assertThat(builtIn.find("a", "claude-opus-4-1-20250805").orElseThrow())
                .isEqualTo(new ModelPrice(15, 75, 18.75, 1.5));
        assertThat(builtIn.find("a", "claude-opus-4-5").orElseThrow()).isEqualTo(new ModelPrice(5, 25, 6.25, 0.5));
        assertThat(builtIn.find("a", "claude-haiku-4-5-20251001").orElseThrow())
                .isEqualTo(new ModelPrice(1, 5, 1.25, 0.1));
        assertThat(builtIn.find("a", "claude-3-5-haiku-20241022").orElseThrow())
                .isEqualTo(new ModelPrice(0.8, 4, 1, 0.08));
        assertThat(input(builtIn, "a", "claude-opus-4-20250514")).isEqualTo(15);
    }

    @Test
    void gatewaySpellingsOfTheSameModelFindItsPrice() {
        assertThat(input(builtIn, "or", "anthropic/claude-sonnet-4.5")).isEqualTo(3);
        assertThat(input(builtIn, "bedrock", "us.anthropic.claude-opus-4-1-20250805-v1:0"))
                .isEqualTo(15);
        assertThat(input(builtIn, "vertex", "claude-sonnet-4-5@20250929")).isEqualTo(3);
        assertThat(input(builtIn, "or", "deepseek/deepseek-chat")).isEqualTo(0.28);
        assertThat(input(builtIn, "g", "models/gemini-2.5-flash")).isEqualTo(0.30);
        assertThat(input(builtIn, "g", "gemini-2.5-flash-lite")).isEqualTo(0.10);
        assertThat(input(builtIn, "o", "gpt-4.1-mini")).isEqualTo(0.40);
        assertThat(input(builtIn, "z", "glm-4.5-air")).isEqualTo(0.20);
    }

    @Test
    void theIdsClaudeCodeSendsByDefaultCostWhatClaudeCodeSays() {
        // Measured: Claude Code's own total_cost_usd for 100K tokens of each kind (2.1.332 and 2.1.197).
        assertThat(builtIn.find("a", "claude-opus-5-5").orElseThrow()).isEqualTo(new ModelPrice(4, 20, 5, 0.2));
        assertThat(builtIn.find("a", "claude-sonnet-5-5").orElseThrow()).isEqualTo(new ModelPrice(2, 10, 2.5, 0.1));
        assertThat(builtIn.find("a", "claude-haiku-5-5").orElseThrow())
                .isEqualTo(new ModelPrice(0.1, 0.5, 0.125, 0.01));
        assertThat(builtIn.find("a", "claude-opus-4-8").orElseThrow()).isEqualTo(new ModelPrice(5, 25, 6.25, 0.5));
        assertThat(builtIn.find("a", "claude-sonnet-5").orElseThrow()).isEqualTo(new ModelPrice(3, 15, 3.75, 0.3));
    }

    @Test
    void anUnknownClaudeIdIsPricedByItsFamilyAndMarkedEstimated() {
        ModelPrice opus = builtIn.find("a", "claude-opus-6").orElseThrow();
        assertThat(opus.estimated()).isTrue();
        assertThat(opus.input()).isEqualTo(4);
        assertThat(builtIn.find("a", "claude-sonnet-7-1").orElseThrow().estimated())
                .isTrue();
        assertThat(builtIn.find("a", "claude-haiku-6").orElseThrow().output()).isEqualTo(0.5);
        assertThat(builtIn.find("a", "claude-opus-4-9").orElseThrow())
                .as("a later 4.x keeps its line's tier")
                .isEqualTo(new ModelPrice(5, 25, 6.25, 0.5, true));
        assertThat(builtIn.find("a", "claude-opus-5-5").orElseThrow().estimated())
                .isFalse();
    }

    @Test
    void unknownModelsHaveNoPrice() {
        assertThat(builtIn.find("a", "llama3.1:8b")).isEmpty();
        assertThat(builtIn.find("a", "claude-instant"))
                .as("no family, no guess")
                .isEmpty();
        assertThat(builtIn.find("a", null)).isEmpty();
    }

    @Test
    void configPricesWinEndpointSpecificFirst() {
        PriceBook book = PriceBook.of(List.of(
                new EffectiveConfig.Price(null, "claude-sonnet-*", 1, 1, 1, 1),
                new EffectiveConfig.Price("free", "*", 0, 0, 0, 0)));
        assertThat(input(book, "main", "claude-sonnet-4-5")).isEqualTo(1);
        assertThat(input(book, "free", "claude-sonnet-4-5"))
                .as("the endpoint's own entry beats the model-wide one written first")
                .isEqualTo(0);
        assertThat(input(book, "main", "claude-haiku-4-5"))
                .as("others keep the built-in price")
                .isEqualTo(1);
        assertThat(book.find("main", "claude-haiku-4-5").orElseThrow().output()).isEqualTo(5);
    }

    @Test
    void costAddsEveryKindOfToken() {
        assertThat(new ModelPrice(3, 15, 3.75, 0.3).cost(1_000_000, 1_000_000, 1_000_000, 1_000_000))
                .isEqualTo(3 + 15 + 3.75 + 0.3, org.assertj.core.api.Assertions.within(1e-12));
    }
}
