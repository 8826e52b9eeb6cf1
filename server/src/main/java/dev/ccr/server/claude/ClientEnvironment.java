package dev.ccr.server.claude;

import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.runtime.RunState;
import java.util.Map;
import java.util.Optional;

/**
 * The variables that point Claude Code at a router: {@code ANTHROPIC_BASE_URL} and {@code ANTHROPIC_AUTH_TOKEN}
 * (sent as {@code Authorization: Bearer}, which Claude Code accepts without asking).
 *
 * @param routerToken the first router token, or {@code null} when the router needs none; then any existing
 *     {@code ANTHROPIC_AUTH_TOKEN} is kept (it is forwarded as the user's own key), or the placeholder {@code ccr} set
 * @param features Claude Code's feature switches to set where the user has not set them ({@link ClaudeEnv#features})
 */
public record ClientEnvironment(String baseUrl, String routerToken, Map<String, String> features) {
    public static final String PLACEHOLDER_TOKEN = ClaudeEnv.PLACEHOLDER_TOKEN;

    public ClientEnvironment {
        features = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(features));
    }

    /** Just the address and token, no feature switches. */
    public ClientEnvironment(String baseUrl, String routerToken) {
        this(baseUrl, routerToken, Map.of());
    }

    public static ClientEnvironment of(EffectiveConfig config, Optional<RunState> running) {
        String baseUrl = running.map(RunState::baseUrl).orElseGet(() -> new RunState(
                        0, config.host(), config.port(), "", "", 0, null, java.util.List.of(), null)
                .baseUrl());
        String token = config.auth().tokens().isEmpty()
                ? null
                : config.auth().tokens().get(0).secret().reveal();
        return new ClientEnvironment(baseUrl, token, ClaudeEnv.features(config));
    }

    /** The token a child process gets, given the value already in the environment. */
    public String tokenFor(String existing) {
        if (routerToken != null) {
            return routerToken;
        }
        return existing != null && !existing.isBlank() ? existing : PLACEHOLDER_TOKEN;
    }

    @Override
    public String toString() {
        return "ClientEnvironment[baseUrl=" + baseUrl + ", routerToken=" + (routerToken == null ? "none" : "***") + "]";
    }
}
