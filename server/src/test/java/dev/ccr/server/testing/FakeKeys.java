package dev.ccr.server.testing;

/**
 * Fake keys in the shape providers give them, so that the router's redaction and credential handling see what they
 * would see in use. They are put together at run time: a key-shaped literal in the sources looks like a leaked secret
 * to secret scanners, and these are planted on purpose.
 */
public final class FakeKeys {
    private FakeKeys() {}

    /** {@code sk-ant-} followed by {@code rest}, as an Anthropic API key or OAuth token is written. */
    public static String anthropic(String rest) {
        return "sk-" + "ant-" + rest;
    }

    /** {@code sk-proj-} followed by {@code rest}, as an OpenAI project key is written. */
    public static String openai(String rest) {
        return "sk-" + "proj-" + rest;
    }

    /** {@code AIza} followed by {@code rest}, as a Google API key is written. */
    public static String google(String rest) {
        return "AI" + "za" + rest;
    }

    /** {@code ghp_} followed by {@code rest}, as a GitHub personal access token is written. */
    public static String github(String rest) {
        return "gh" + "p_" + rest;
    }
}
