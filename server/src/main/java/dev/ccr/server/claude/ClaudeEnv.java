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

    /** All of them, in the order they are written and reported. */
    public static final List<String> KEYS =
            List.of(BASE_URL, AUTH_TOKEN, MODEL, OPUS_MODEL, SONNET_MODEL, HAIKU_MODEL, SMALL_FAST_MODEL);

    /**
     * Claude Code's placeholder credential when the router needs no token: Claude Code refuses to start without any
     * credential, and the router recognises this one as "none" (see {@code AccessGuard}).
     */
    public static final String PLACEHOLDER_TOKEN = "ccr";

    private ClaudeEnv() {}

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
