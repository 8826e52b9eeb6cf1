package dev.ccr.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a claude-code-router provider's {@code transformer} section means for the ccr endpoint made from it. There,
 * transformers are JavaScript classes that rewrite requests and responses; the well-known ones adapt to a provider's
 * conventions, which ccr expresses as the endpoint's type, its {@link Provider} and its {@link Quirks} (see
 * docs/TRANSLATION.md). What has no such counterpart is reported once through {@link NotHonoured}.
 *
 * <pre>
 * "transformer": {
 *   "use": ["deepseek", ["maxtoken", {"max_tokens": 16384}]],     every model of the provider
 *   "deepseek-chat": {"use": ["tooluse"]}                          one model
 * }
 * </pre>
 */
final class ClaudeCodeRouterTransformers {
    /** DeepSeek's chat models accept no larger output limit; claude-code-router's deepseek transformer caps at it. */
    static final int DEEPSEEK_MAX_OUTPUT_TOKENS = 8192;

    /** Transformers of that project that ccr knows and cannot reproduce, with what they do. */
    private static final Map<String, String> UNSUPPORTED = Map.ofEntries(
            Map.entry(
                    "tooluse",
                    "it forces a tool call on every turn through an injected ExitTool; ccr sends Claude Code's"
                            + " tool_choice unchanged"),
            Map.entry(
                    "enhancetool",
                    "it repairs malformed tool-call arguments (and stops them streaming); ccr relays the arguments"
                            + " as the model writes them"),
            Map.entry(
                    "forcereasoning",
                    "it makes a model without native thinking think in tags; ccr relays native reasoning only"),
            Map.entry("customparams", "it adds fields of your choice to each request; ccr has no such option"),
            Map.entry("vertex-gemini", "Vertex AI's authentication is not supported; use a Gemini API key instead"),
            Map.entry(
                    "vertex-claude",
                    "Vertex AI's authentication is not supported; use an Anthropic-format endpoint instead"),
            Map.entry("cerebras", "its request rewriting is not reproduced; Cerebras is reached as plain OpenAI"),
            Map.entry("vercel", "its request rewriting is not reproduced; the provider is reached as plain OpenAI"),
            Map.entry(
                    "openai-responses",
                    "ccr speaks chat completions to OpenAI-compatible upstreams, not the Responses API"),
            Map.entry("gemini-cli", "it is an unofficial plugin that ccr cannot run"),
            Map.entry("qwen-cli", "it is an unofficial plugin that ccr cannot run"),
            Map.entry("rovo-cli", "it is an unofficial plugin that ccr cannot run"),
            Map.entry("chutes-glm", "it is an unofficial plugin that ccr cannot run"));

    /**
     * What the transformers decide about one endpoint.
     *
     * @param type the wire format they imply ({@code Anthropic}, {@code gemini}), or {@code null} to go by the URL
     * @param provider the provider conventions they name, or {@code null} to recognise it from the URL
     * @param quirks overrides of the provider's quirks, or {@code null} for none
     */
    record Shape(EndpointType type, Provider provider, QuirksConfig quirks) {}

    private final NotHonoured notHonoured;
    private final List<ConfigProblems.Problem> problems;

    ClaudeCodeRouterTransformers(NotHonoured notHonoured, List<ConfigProblems.Problem> problems) {
        this.notHonoured = notHonoured;
        this.problems = problems;
    }

    /** Reads a provider's {@code transformer} section; {@code section} may be null. */
    Shape read(JsonNode section, String providerName, ConfigPath at) {
        Builder shape = new Builder();
        if (section == null || section.isNull()) {
            return shape.build();
        }
        if (!section.isObject()) {
            problems.add(
                    new ConfigProblems.Problem(at, "transformer must be an object such as {\"use\": [\"deepseek\"]}"));
            return shape.build();
        }
        for (var field : (Iterable<Map.Entry<String, JsonNode>>) section::fields) {
            String key = field.getKey();
            if (key.equals("use")) {
                for (Use use : uses(field.getValue(), at.key("use"))) {
                    providerWide(use, shape, providerName);
                }
            } else {
                ConfigPath modelAt = at.key(key);
                JsonNode model = field.getValue();
                if (!model.isObject() || !model.has("use")) {
                    problems.add(new ConfigProblems.Problem(
                            modelAt, "a model's transformers are written {\"use\": [...]}, for model \"" + key + "\""));
                    continue;
                }
                for (Use use : uses(model.get("use"), modelAt.key("use"))) {
                    forModel(use, key, shape, providerName);
                }
            }
        }
        return shape.build();
    }

    /** One entry of a {@code use} list: {@code "name"} or {@code ["name", {options}]}. */
    private record Use(String name, JsonNode options, ConfigPath at) {}

    private List<Use> uses(JsonNode list, ConfigPath at) {
        List<Use> uses = new ArrayList<>();
        if (!list.isArray()) {
            problems.add(new ConfigProblems.Problem(at, "use must be a list of transformer names"));
            return uses;
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode entry = list.get(i);
            if (entry.isTextual()) {
                uses.add(new Use(entry.asText(), null, at.index(i)));
            } else if (entry.isArray() && !entry.isEmpty() && entry.get(0).isTextual()) {
                uses.add(new Use(entry.get(0).asText(), entry.size() > 1 ? entry.get(1) : null, at.index(i)));
            } else {
                problems.add(new ConfigProblems.Problem(
                        at.index(i), "expected a transformer name, or [\"name\", {options}] for one with options"));
            }
        }
        return uses;
    }

    private void providerWide(Use use, Builder shape, String provider) {
        switch (use.name()) {
            case "Anthropic", "anthropic" -> {
                shape.type = EndpointType.ANTHROPIC;
                if (use.options() != null && use.options().path("UseBearer").asBoolean(false)) {
                    notHonoured.add(
                            "the Anthropic transformer's UseBearer option",
                            "ccr sends an Anthropic-format endpoint's key as x-api-key",
                            use.at(),
                            provider);
                }
            }
            case "gemini" -> shape.type = EndpointType.GEMINI;
            case "openai" -> {
                // Plain chat completions: what an OpenAI-format endpoint is anyway.
            }
            case "deepseek" -> {
                shape.provider = Provider.DEEPSEEK;
                shape.maxOutputTokens = min(shape.maxOutputTokens, DEEPSEEK_MAX_OUTPUT_TOKENS);
            }
            case "openrouter" -> {
                shape.provider = Provider.OPENROUTER;
                openRouterOptions(use, provider);
            }
            case "groq" -> {
                // It strips cache_control (ccr sends none unless the cacheControl quirk says so) and $schema.
                shape.cleanSchemas = true;
                shape.cacheControl = false;
            }
            case "cleancache" -> shape.cacheControl = false;
            case "maxtoken" -> {
                Integer cap = maxTokens(use, true);
                if (cap != null) {
                    shape.maxOutputTokens = min(shape.maxOutputTokens, cap);
                }
            }
            case "sampling" -> sampling(use, shape, provider);
            case "maxcompletiontokens" -> shape.maxTokensField = MaxTokensField.MAX_COMPLETION_TOKENS;
            case "streamoptions" -> shape.streamUsage = true;
            case "reasoning" -> {
                if (reasoningEnabled(use, provider)) {
                    shape.reasoningForAll = true;
                }
            }
            default -> unsupported(use, provider);
        }
    }

    private void forModel(Use use, String model, Builder shape, String provider) {
        String user = provider + "," + model;
        switch (use.name()) {
            case "reasoning" -> {
                if (reasoningEnabled(use, user)) {
                    shape.reasoningModels.add(model);
                }
            }
            case "openrouter" -> openRouterOptions(use, user);
            case "tooluse", "enhancetool", "forcereasoning", "customparams" -> unsupported(use, user);
            default -> {
                if (use.name().equals("maxtoken")) {
                    maxTokens(use, false);
                }
                notHonoured.add(
                        "transformer \"" + use.name() + "\" for a single model",
                        "ccr applies a provider's conventions and output limit to the whole endpoint; list it in the"
                                + " provider's own \"use\" to apply it to all its models",
                        use.at(),
                        user);
            }
        }
    }

    private void openRouterOptions(Use use, String user) {
        if (use.options() != null && !use.options().isEmpty()) {
            notHonoured.add(
                    "the openrouter transformer's options",
                    "ccr does not add provider-routing fields to OpenRouter requests; OpenRouter picks the provider",
                    use.at(),
                    user);
        }
    }

    private void sampling(Use use, Builder shape, String provider) {
        JsonNode options =
                use.options() == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : use.options();
        if (options.has("max_tokens")) {
            Integer cap = maxTokens(use, true);
            if (cap != null) {
                shape.maxOutputTokens = min(shape.maxOutputTokens, cap);
            }
        }
        for (String field : List.of("temperature", "top_p", "top_k", "repetition_penalty")) {
            if (options.has(field)) {
                notHonoured.add(
                        "the sampling transformer's " + field,
                        "ccr sends the sampling settings Claude Code asks for",
                        use.at(),
                        provider);
            }
        }
    }

    private boolean reasoningEnabled(Use use, String user) {
        if (use.options() != null && !use.options().path("enable").asBoolean(true)) {
            notHonoured.add(
                    "the reasoning transformer's enable: false",
                    "ccr cannot force thinking off; it asks for thinking exactly when Claude Code does",
                    use.at(),
                    user);
            return false;
        }
        return true;
    }

    /** The {@code max_tokens} option, or {@code null} after recording why there is none. */
    private Integer maxTokens(Use use, boolean required) {
        JsonNode value = use.options() == null ? null : use.options().get("max_tokens");
        if (value == null || !value.canConvertToInt() || value.asInt() < 1) {
            if (required) {
                problems.add(new ConfigProblems.Problem(
                        use.at(), "maxtoken needs its limit: [\"maxtoken\", {\"max_tokens\": 16384}]"));
            }
            return null;
        }
        return value.asInt();
    }

    private void unsupported(Use use, String user) {
        String why = UNSUPPORTED.get(use.name());
        notHonoured.add(
                "transformer \"" + use.name() + "\"",
                why != null
                        ? why
                        : "ccr does not know it (a custom transformer, or one newer than this ccr), so it has no"
                                + " effect",
                use.at(),
                user);
    }

    private static int min(Integer current, int next) {
        return current == null ? next : Math.min(current, next);
    }

    private static final class Builder {
        EndpointType type;
        Provider provider;
        MaxTokensField maxTokensField;
        Boolean cleanSchemas;
        Boolean streamUsage;
        Boolean cacheControl;
        Integer maxOutputTokens;
        boolean reasoningForAll;
        final List<String> reasoningModels = new ArrayList<>();

        Shape build() {
            ReasoningRequest reasoning = null;
            List<String> models = null;
            if (reasoningForAll) {
                reasoning = ReasoningRequest.ENABLE_THINKING;
                models = List.of();
            } else if (!reasoningModels.isEmpty()) {
                reasoning = ReasoningRequest.ENABLE_THINKING;
                models = List.copyOf(reasoningModels);
            }
            boolean any = maxTokensField != null
                    || reasoning != null
                    || cleanSchemas != null
                    || streamUsage != null
                    || cacheControl != null
                    || maxOutputTokens != null;
            QuirksConfig quirks = any
                    ? new QuirksConfig(
                            maxTokensField,
                            reasoning,
                            models,
                            null,
                            cleanSchemas,
                            streamUsage,
                            null,
                            null,
                            cacheControl,
                            maxOutputTokens)
                    : null;
            return new Shape(type, provider, quirks);
        }
    }
}
