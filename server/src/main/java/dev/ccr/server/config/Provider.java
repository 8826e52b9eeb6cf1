package dev.ccr.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Well-known upstreams and what their APIs need: the quirk table. An endpoint names its provider, or the provider is
 * recognised from the base URL's host; anything unrecognised gets the plain OpenAI-compatible preset. Each endpoint
 * can still override single quirks.
 */
public enum Provider {
    /** Any OpenAI-compatible server: the conservative subset every one of them accepts. */
    @JsonProperty("generic")
    GENERIC(
            quirks(MaxTokensField.MAX_TOKENS, ReasoningRequest.NONE, List.of(), false, false, true, true, false),
            List.of()),
    /** api.openai.com: reasoning models take max_completion_tokens and reasoning_effort, and reject temperature. */
    @JsonProperty("openai")
    OPENAI(
            quirks(
                    MaxTokensField.MAX_COMPLETION_TOKENS,
                    ReasoningRequest.REASONING_EFFORT,
                    List.of("o1*", "o3*", "o4*", "gpt-5*"),
                    false,
                    false,
                    true,
                    false,
                    true),
            List.of("api.openai.com")),
    /** DeepSeek: thinking is chosen by model; in tool loops the earlier reasoning_content must come back. */
    @JsonProperty("deepseek")
    DEEPSEEK(
            quirks(MaxTokensField.MAX_TOKENS, ReasoningRequest.NONE, List.of(), true, false, true, true, false),
            List.of("deepseek.com")),
    /** Zhipu GLM (bigmodel.cn, z.ai): {@code thinking: {type}}; reasoning_content kept across turns. */
    @JsonProperty("glm")
    GLM(
            quirks(MaxTokensField.MAX_TOKENS, ReasoningRequest.THINKING, List.of(), true, false, true, true, false),
            List.of("bigmodel.cn", "z.ai")),
    /** Alibaba Qwen (DashScope compatible mode): {@code enable_thinking}. */
    @JsonProperty("qwen")
    QWEN(
            quirks(
                    MaxTokensField.MAX_TOKENS,
                    ReasoningRequest.ENABLE_THINKING,
                    List.of(),
                    false,
                    false,
                    true,
                    true,
                    false),
            List.of("dashscope.aliyuncs.com", "dashscope-intl.aliyuncs.com")),
    /** Moonshot Kimi: thinking models need their reasoning_content back in tool loops. */
    @JsonProperty("kimi")
    KIMI(
            quirks(MaxTokensField.MAX_TOKENS, ReasoningRequest.NONE, List.of(), true, false, true, true, false),
            List.of("moonshot.ai", "moonshot.cn")),
    /** OpenRouter: unified {@code reasoning} object, honours Anthropic-style cache_control on parts. */
    @JsonProperty("openrouter")
    OPENROUTER(
            new Quirks(
                    MaxTokensField.MAX_TOKENS,
                    ReasoningRequest.REASONING,
                    List.of(),
                    false,
                    false,
                    true,
                    true,
                    true,
                    true,
                    0),
            List.of("openrouter.ai")),
    /** Ollama's OpenAI-compatible API. */
    @JsonProperty("ollama")
    OLLAMA(
            quirks(MaxTokensField.MAX_TOKENS, ReasoningRequest.NONE, List.of(), false, false, true, true, true),
            List.of()),
    /** vLLM's OpenAI-compatible server (reports the matched stop string, takes json_schema). */
    @JsonProperty("vllm")
    VLLM(
            quirks(MaxTokensField.MAX_TOKENS, ReasoningRequest.NONE, List.of(), false, false, true, true, true),
            List.of()),
    /** Google Gemini; its translator always cleans schemas and asks for thoughts through thinkingConfig. */
    @JsonProperty("gemini")
    GEMINI(
            quirks(MaxTokensField.MAX_TOKENS, ReasoningRequest.NONE, List.of(), false, true, true, true, true),
            // Gemini's OpenAI-compatible surface shares its schema limits.
            List.of("generativelanguage.googleapis.com"));

    /** Ollama's default port, the only sign of it in a base URL such as http://localhost:11434/v1. */
    private static final int OLLAMA_PORT = 11434;

    private final Quirks preset;
    /** Hosts (and their subdomains) this provider serves from. */
    private final List<String> hosts;

    Provider(Quirks preset, List<String> hosts) {
        this.preset = preset;
        this.hosts = hosts;
    }

    public Quirks preset() {
        return preset;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The provider an endpoint without an explicit one most likely is, from its type and host. */
    static Provider detect(EndpointType type, URI baseUrl) {
        if (type == EndpointType.GEMINI) {
            return GEMINI;
        }
        String host = baseUrl == null || baseUrl.getHost() == null
                ? ""
                : baseUrl.getHost().toLowerCase(Locale.ROOT);
        for (Provider provider : values()) {
            for (String served : provider.hosts) {
                if (host.equals(served) || host.endsWith("." + served)) {
                    return provider;
                }
            }
        }
        return baseUrl != null && baseUrl.getPort() == OLLAMA_PORT ? OLLAMA : GENERIC;
    }

    private static Quirks quirks(
            MaxTokensField maxTokensField,
            ReasoningRequest reasoningRequest,
            List<String> reasoningModels,
            boolean sendReasoningBack,
            boolean cleanSchemas,
            boolean streamUsage,
            boolean sampling,
            boolean structuredOutput) {
        return new Quirks(
                maxTokensField,
                reasoningRequest,
                reasoningModels,
                sendReasoningBack,
                cleanSchemas,
                streamUsage,
                sampling,
                structuredOutput,
                false,
                0);
    }
}
