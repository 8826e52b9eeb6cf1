package dev.ccr.protocol.claude;

/**
 * Claude Code's model variables. Each non-null field is written; null fields are left alone. Values are model ids as
 * the router understands them, such as {@code glm,glm-4.6} to pick an endpoint explicitly.
 *
 * @param model {@code ANTHROPIC_MODEL}: forces the main model
 * @param opusModel {@code ANTHROPIC_DEFAULT_OPUS_MODEL}: what the {@code opus} alias means
 * @param sonnetModel {@code ANTHROPIC_DEFAULT_SONNET_MODEL}: what the {@code sonnet} alias means
 * @param haikuModel {@code ANTHROPIC_DEFAULT_HAIKU_MODEL}: what the {@code haiku} alias means (background tasks)
 * @param smallFastModel {@code ANTHROPIC_SMALL_FAST_MODEL}: the older name for background tasks, which still wins
 */
public record ClaudeModels(
        String model, String opusModel, String sonnetModel, String haikuModel, String smallFastModel) {}
