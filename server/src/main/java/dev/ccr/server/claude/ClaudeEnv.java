package dev.ccr.server.claude;

import dev.ccr.protocol.claude.ClaudeModels;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The variables in a Claude Code settings file's {@code env} that the router may own. */
public final class ClaudeEnv {
    public static final String BASE_URL = "ANTHROPIC_BASE_URL";
    public static final String AUTH_TOKEN = "ANTHROPIC_AUTH_TOKEN";
    public static final String MODEL = "ANTHROPIC_MODEL";
    public static final String OPUS_MODEL = "ANTHROPIC_DEFAULT_OPUS_MODEL";
    public static final String SONNET_MODEL = "ANTHROPIC_DEFAULT_SONNET_MODEL";
    public static final String HAIKU_MODEL = "ANTHROPIC_DEFAULT_HAIKU_MODEL";
    public static final String SMALL_FAST_MODEL = "ANTHROPIC_SMALL_FAST_MODEL";
    /** Claude Code labels each request with its class (docs/ROUTING.md), which scenario routing reads. */
    public static final String HINT_HEADERS = "CLAUDE_CODE_GATEWAY_HINT_HEADERS";
    /** Tool search: Claude Code 2.1.197 turns it off behind a gateway (measured); Anthropic endpoints support it. */
    public static final String TOOL_SEARCH = "ENABLE_TOOL_SEARCH";
    /** Fine-grained tool streaming: off behind a gateway in both measured versions; Anthropic endpoints support it. */
    public static final String FINE_GRAINED_TOOL_STREAMING = "CLAUDE_CODE_ENABLE_FINE_GRAINED_TOOL_STREAMING";

    /** The feature switches the router sets, where the user has not set them. */
    public static final List<String> FEATURES = List.of(HINT_HEADERS, TOOL_SEARCH, FINE_GRAINED_TOOL_STREAMING);

    /** All of them, in the order they are written and reported. */
    public static final List<String> KEYS = List.of(
            BASE_URL,
            AUTH_TOKEN,
            MODEL,
            OPUS_MODEL,
            SONNET_MODEL,
            HAIKU_MODEL,
            SMALL_FAST_MODEL,
            HINT_HEADERS,
            TOOL_SEARCH,
            FINE_GRAINED_TOOL_STREAMING);

    /**
     * Claude Code's placeholder credential when the router needs no token: Claude Code refuses to start without any
     * credential, and the router recognises this one as "none" (see {@code AccessGuard}).
     */
    public static final String PLACEHOLDER_TOKEN = "ccr";

    private ClaudeEnv() {}

    /**
     * The feature switches for Claude Code behind this router: the request-class hints always; and, when every target
     * of the default route is an Anthropic-format endpoint, the features Claude Code turns off behind a gateway
     * because a gateway might not pass them on (measured with the real CLI: tool search in 2.1.197, fine-grained tool
     * streaming in 2.1.197 and 2.1.332), which an Anthropic endpoint behind ccr does.
     */
    public static Map<String, String> features(dev.ccr.server.config.EffectiveConfig config) {
        Map<String, String> features = new LinkedHashMap<>();
        features.put(HINT_HEADERS, "1");
        boolean anthropicOnly = config.defaultRoute().targets().stream().allMatch(ref -> config.endpoint(ref.endpoint())
                .map(dev.ccr.server.config.Endpoint::passesThrough)
                .orElse(false));
        if (anthropicOnly) {
            features.put(TOOL_SEARCH, "true");
            features.put(FINE_GRAINED_TOOL_STREAMING, "1");
        }
        return features;
    }

    /** Whether a key's value is a credential, never shown or logged. */
    public static boolean isSecret(String key) {
        return key.equals(AUTH_TOKEN);
    }

    /** The model variables asked for, in {@link #KEYS} order. */
    static Map<String, String> models(ClaudeModels models) {
        Map<String, String> values = new LinkedHashMap<>();
        if (models != null) {
            putIfSet(values, MODEL, models.model());
            putIfSet(values, OPUS_MODEL, models.opusModel());
            putIfSet(values, SONNET_MODEL, models.sonnetModel());
            putIfSet(values, HAIKU_MODEL, models.haikuModel());
            putIfSet(values, SMALL_FAST_MODEL, models.smallFastModel());
        }
        return values;
    }

    private static void putIfSet(Map<String, String> values, String key, String value) {
        if (value != null && !value.isBlank()) {
            values.put(key, value.strip());
        }
    }
}
