package dev.ccr.server.observe.redact;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes credentials from text before it is written anywhere: every secret the router knows (endpoint keys, router
 * tokens, credential headers from the config, the client's own key), and anything shaped like a well-known credential
 * even when the router never saw it as one (a key pasted into a prompt, an {@code Authorization} header in a tool
 * result). Knowing the exact values catches keys of any shape; the patterns catch keys nobody registered.
 */
public final class Redactor {
    public static final String MASK = "[redacted]";
    /** Shorter values are not treated as secrets: masking "1" or "json" everywhere would wreck the log. */
    static final int MIN_SECRET_LENGTH = 8;

    private static final Pattern CREDENTIAL_SHAPES = Pattern.compile(String.join(
            "|",
            // Each shape must start a word: "task-1234…" is not an "sk-" key.
            "(?<![A-Za-z0-9])sk-ant-[A-Za-z0-9_-]{8,}", // Anthropic API keys and OAuth tokens
            "(?<![A-Za-z0-9])sk-[A-Za-z0-9_-]{16,}", // OpenAI, DeepSeek, OpenRouter and many compatible APIs
            "(?<![A-Za-z0-9])AIza[0-9A-Za-z_-]{30,}", // Google API keys (Gemini)
            "(?<![A-Za-z0-9])gh[pousr]_[A-Za-z0-9]{20,}", // GitHub tokens
            "(?<![A-Za-z0-9])xox[abprs]-[A-Za-z0-9-]{10,}", // Slack tokens
            "(?<![A-Za-z0-9])AKIA[0-9A-Z]{16}", // AWS access key ids
            "(?<![A-Za-z0-9])eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}", // JWTs
            "(?i)(?<=bearer\\s)[A-Za-z0-9._~+/=-]{8,}", // whatever follows "Bearer "
            "(?<=ccr:)[^\\s\"',;]{8,}")); // ccr:<token or key>, as ANTHROPIC_AUTH_TOKEN carries it

    /**
     * JSON fields whose value is a credential whatever it looks like, also inside a JSON string (a config file read by
     * a tool, with its quotes escaped).
     */
    private static final Pattern CREDENTIAL_FIELDS = Pattern.compile(
            "(?i)(\\\\?\"(?:api[_-]?key|x-api-key|x-goog-api-key|authorization|access[_-]?token|refresh[_-]?token"
                    + "|client[_-]?secret|password|secret)\\\\?\"\\s*:\\s*\\\\?\")([^\"\\\\]{4,})(\\\\?\")");

    /** Environment-style assignments of credentials, as in a {@code .env} file or a shell command. */
    private static final Pattern CREDENTIAL_VARIABLES =
            Pattern.compile("(\\b[A-Z][A-Z0-9_]*(?:API_KEY|APIKEY|TOKEN|SECRET|PASSWORD)=)([^\\s\"'\\\\]{4,})");

    private static final Redactor PATTERNS_ONLY = new Redactor(List.of());

    private final List<String> secrets;

    private Redactor(List<String> secrets) {
        this.secrets = secrets;
    }

    /** A redactor for these exact values (shorter ones ignored) plus the well-known credential shapes. */
    public static Redactor of(Collection<String> secrets) {
        List<String> usable = new ArrayList<>();
        for (String secret : secrets) {
            if (secret != null && secret.length() >= MIN_SECRET_LENGTH && !usable.contains(secret)) {
                usable.add(secret);
            }
        }
        // Longest first, so a secret that contains another is masked whole.
        usable.sort(Comparator.comparingInt(String::length).reversed());
        return usable.isEmpty() ? PATTERNS_ONLY : new Redactor(List.copyOf(usable));
    }

    public static Redactor patternsOnly() {
        return PATTERNS_ONLY;
    }

    /** This redactor plus more exact values (a request's own client key, say). */
    public Redactor with(Collection<String> more) {
        if (more.isEmpty()) {
            return this;
        }
        List<String> all = new ArrayList<>(secrets);
        all.addAll(more);
        return of(all);
    }

    public String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (String secret : secrets) {
            if (out.contains(secret)) {
                out = out.replace(secret, MASK);
            }
        }
        out = CREDENTIAL_FIELDS.matcher(out).replaceAll("$1" + Matcher.quoteReplacement(MASK) + "$3");
        out = CREDENTIAL_VARIABLES.matcher(out).replaceAll("$1" + Matcher.quoteReplacement(MASK));
        return CREDENTIAL_SHAPES.matcher(out).replaceAll(Matcher.quoteReplacement(MASK));
    }

    /** Whether a header carries a credential by its name alone; its value is then never logged. */
    public static boolean isCredentialHeader(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.equals("authorization")
                || lower.equals("proxy-authorization")
                || lower.equals("cookie")
                || lower.equals("set-cookie")
                || lower.contains("api-key")
                || lower.contains("apikey")
                || lower.contains("token")
                || lower.contains("secret")
                || lower.contains("password");
    }

    @Override
    public String toString() {
        return "Redactor[" + secrets.size() + " known secrets]";
    }
}
