package dev.ccr.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * One entry of claude-code-router's {@code Providers} as a ccr endpoint. There, {@code api_base_url} is the full URL
 * requests are posted to ({@code https://api.deepseek.com/chat/completions}); ccr's {@code baseUrl} is the API root
 * it appends paths to, so the known suffixes are taken off: {@code /chat/completions} (OpenAI format),
 * {@code /messages} (Anthropic format, also recognised without the Anthropic transformer) and {@code /models} (what
 * the gemini transformer appends {@code <model>:generateContent} to).
 */
final class ClaudeCodeRouterProvider {
    private static final String CHAT_COMPLETIONS = "/chat/completions";
    private static final String MESSAGES = "/messages";
    private static final String MODELS = "/models";
    private static final Set<String> KNOWN_KEYS = Set.of("name", "api_base_url", "api_key", "models", "transformer");

    /**
     * A provider read as an endpoint.
     *
     * @param summary what it became, in words, for {@code ccr config migrate}
     */
    record Read(EndpointConfig endpoint, String summary) {}

    private final Function<String, String> environment;
    private final ClaudeCodeRouterTransformers transformers;
    private final NotHonoured notHonoured;
    private final List<ConfigProblems.Problem> problems;
    private final List<ConfigProblems.Problem> warnings;

    ClaudeCodeRouterProvider(
            Function<String, String> environment,
            NotHonoured notHonoured,
            List<ConfigProblems.Problem> problems,
            List<ConfigProblems.Problem> warnings) {
        this.environment = environment;
        this.notHonoured = notHonoured;
        this.problems = problems;
        this.warnings = warnings;
        this.transformers = new ClaudeCodeRouterTransformers(notHonoured, problems);
    }

    /**
     * Reads one provider, or returns {@code null} when it cannot become an endpoint (after saying why).
     *
     * @param paths where to record which part of the endpoint came from which part of the provider
     * @param endpointAt the path the endpoint will have in the ccr config
     */
    Read read(JsonNode provider, ConfigPath at, WrittenPaths paths, ConfigPath endpointAt) {
        if (!provider.isObject()) {
            problems.add(new ConfigProblems.Problem(
                    at, "a provider must be an object with name, api_base_url, api_key and models"));
            return null;
        }
        String name = text(provider, "name", at);
        String url = text(provider, "api_base_url", at);
        if (name == null || url == null) {
            if (!provider.has("name") || !provider.has("api_base_url")) {
                warnings.add(new ConfigProblems.Problem(
                        at,
                        "this provider has no " + (name == null ? "name" : "api_base_url")
                                + "; it is skipped, as claude-code-router skips it"));
            }
            return null;
        }
        url = EnvReferences.interpolate(url, environment).strip();
        String apiKey = text(provider, "api_key", at);
        if (apiKey != null && apiKey.isBlank()) {
            warnings.add(new ConfigProblems.Problem(
                    at.key("api_key"),
                    "api_key is empty, so requests to \"" + name + "\" carry no key; the upstream will refuse them"
                            + " unless it needs none"));
            apiKey = null;
        }
        List<String> models = models(provider.get("models"), at.key("models"));
        ClaudeCodeRouterTransformers.Shape shape =
                transformers.read(provider.get("transformer"), name, at.key("transformer"));
        for (String key : iterable(provider.fieldNames())) {
            if (!KNOWN_KEYS.contains(key)) {
                notHonoured.add(
                        "provider key \"" + key + "\"", "ccr has no counterpart and ignores it", at.key(key), name);
            }
        }

        Base base = base(url, shape.type());
        if (base.warning() != null) {
            warnings.add(new ConfigProblems.Problem(at.key("api_base_url"), base.warning()));
        }
        Provider conventions = shape.provider();
        QuirksConfig quirks = shape.quirks();
        if (base.type() == EndpointType.ANTHROPIC && (conventions != null || quirks != null)) {
            notHonoured.add(
                    "adapting transformers on an Anthropic-format provider",
                    "requests to it pass through unchanged, so deepseek, maxtoken and the like have no effect there",
                    at.key("transformer"),
                    name);
            conventions = null;
            quirks = null;
        }
        if (base.type() == EndpointType.GEMINI) {
            conventions = null;
        }
        EndpointConfig endpoint = new EndpointConfig(
                name,
                base.type(),
                base.url(),
                apiKey == null ? null : EnvReferences.braced(apiKey),
                null,
                null,
                models,
                null,
                conventions,
                quirks,
                null,
                null,
                null,
                null,
                null,
                null);
        paths.map(endpointAt, at);
        paths.map(endpointAt.key("name"), at.key("name"));
        paths.map(endpointAt.key("baseUrl"), at.key("api_base_url"));
        paths.map(endpointAt.key("apiKey"), at.key("api_key"));
        paths.map(endpointAt.key("models"), at.key("models"));
        ConfigPath transformer = provider.has("transformer") ? at.key("transformer") : at;
        for (String key : List.of("type", "provider", "quirks")) {
            paths.map(endpointAt.key(key), key.equals("type") ? at.key("api_base_url") : transformer);
        }
        return new Read(endpoint, summary(endpoint));
    }

    /** The endpoint in a few words: type, URL, conventions, quirks. */
    private static String summary(EndpointConfig endpoint) {
        List<String> parts = new ArrayList<>();
        parts.add(endpoint.type().wireName() + " " + endpoint.baseUrl());
        if (endpoint.provider() != null) {
            parts.add("provider " + endpoint.provider().wireName());
        }
        QuirksConfig quirks = endpoint.quirks();
        if (quirks != null) {
            if (quirks.maxOutputTokens() != null) {
                parts.add("output capped at " + quirks.maxOutputTokens() + " tokens");
            }
            if (quirks.reasoningRequest() != null) {
                parts.add("thinking asked with "
                        + quirks.reasoningRequest().name().toLowerCase(Locale.ROOT)
                        + (quirks.reasoningModels() == null
                                        || quirks.reasoningModels().isEmpty()
                                ? ""
                                : " for " + String.join(", ", quirks.reasoningModels())));
            }
            if (Boolean.TRUE.equals(quirks.cleanSchemas())) {
                parts.add("tool schemas cleaned");
            }
            if (quirks.maxTokensField() != null) {
                parts.add("limit sent as " + quirks.maxTokensField().field());
            }
        }
        if (endpoint.apiKey() != null) {
            parts.add(endpoint.apiKey().contains("${") ? "key " + endpoint.apiKey() : "key as written");
        }
        return String.join(", ", parts);
    }

    /** The API root and wire format of a full URL. */
    record Base(EndpointType type, String url, String warning) {}

    static Base base(String url, EndpointType hinted) {
        String trimmed = url;
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        String lower = trimmed.toLowerCase(Locale.ROOT);
        if (hinted == EndpointType.GEMINI) {
            return lower.endsWith(MODELS)
                    ? new Base(EndpointType.GEMINI, strip(trimmed, MODELS), null)
                    : new Base(
                            EndpointType.GEMINI,
                            trimmed,
                            "a Gemini api_base_url ends in /models/ (such as"
                                    + " https://generativelanguage.googleapis.com/v1beta/models/); ccr calls "
                                    + trimmed + "/models/<model>:generateContent");
        }
        if (lower.endsWith(MESSAGES)) {
            return new Base(EndpointType.ANTHROPIC, strip(trimmed, MESSAGES), null);
        }
        if (hinted == EndpointType.ANTHROPIC) {
            return new Base(
                    EndpointType.ANTHROPIC,
                    trimmed,
                    "an Anthropic-format api_base_url ends in /messages (such as https://api.anthropic.com/v1/messages);"
                            + " ccr calls " + trimmed + MESSAGES);
        }
        if (lower.endsWith(CHAT_COMPLETIONS)) {
            return new Base(EndpointType.OPENAI, strip(trimmed, CHAT_COMPLETIONS), null);
        }
        return new Base(
                EndpointType.OPENAI,
                trimmed,
                "api_base_url is the full URL of chat completions, such as https://api.deepseek.com/chat/completions;"
                        + " ccr calls " + trimmed + CHAT_COMPLETIONS);
    }

    private static String strip(String url, String suffix) {
        return url.substring(0, url.length() - suffix.length());
    }

    private List<String> models(JsonNode models, ConfigPath at) {
        if (models == null || models.isNull()) {
            return null;
        }
        if (!models.isArray()) {
            problems.add(new ConfigProblems.Problem(at, "models must be a list of model names"));
            return null;
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            if (!models.get(i).isTextual()) {
                problems.add(new ConfigProblems.Problem(at.index(i), "a model name must be a string"));
            } else {
                names.add(EnvReferences.interpolate(models.get(i).asText(), environment));
            }
        }
        return names;
    }

    private String text(JsonNode object, String key, ConfigPath at) {
        return ClaudeCodeRouterFormat.string(object, key, at, problems);
    }

    private static Iterable<String> iterable(java.util.Iterator<String> names) {
        return () -> names;
    }
}
