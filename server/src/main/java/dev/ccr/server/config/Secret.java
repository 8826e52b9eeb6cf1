package dev.ccr.server.config;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A credential from the config (an API key, a router token, a header value). It prints as {@code ***} everywhere, so
 * passing one to a logger or an exception message cannot leak it; only {@link #reveal()} gives the value, and only
 * the code that puts it on the wire calls that.
 *
 * <p>{@code ${NAME}} references are resolved from the environment when the secret is created. A reference to a
 * variable that is not set leaves the secret unavailable, with {@link #problem()} saying which variable is missing.
 */
public final class Secret {
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private final String value;
    private final String problem;

    private Secret(String value, String problem) {
        this.value = value;
        this.problem = problem;
    }

    public static Secret of(String value) {
        return new Secret(Objects.requireNonNull(value), null);
    }

    /** Resolves {@code ${NAME}} references in raw text against an environment. */
    public static Secret resolve(String raw, Function<String, String> environment) {
        Matcher matcher = REFERENCE.matcher(raw);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String variable = matcher.group(1);
            String replacement = environment.apply(variable);
            if (replacement == null || replacement.isEmpty()) {
                return new Secret(null, "environment variable " + variable + " is not set");
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return new Secret(out.toString(), null);
    }

    /** Whether a value is available. */
    public boolean isAvailable() {
        return value != null;
    }

    /** Why no value is available, if none is. */
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    /** The secret itself: only for writing it into an upstream request or comparing it. */
    public String reveal() {
        if (value == null) {
            throw new IllegalStateException("secret unavailable: " + problem);
        }
        return value;
    }

    /** Compares in time independent of where the first difference is, so timing does not reveal a token. */
    public boolean matches(String candidate) {
        if (value == null || candidate == null) {
            return false;
        }
        return java.security.MessageDigest.isEqual(
                value.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                candidate.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret that
                && Objects.equals(value, that.value)
                && Objects.equals(problem, that.problem);
    }

    @Override
    public int hashCode() {
        return Objects.hash(value, problem);
    }

    @Override
    public String toString() {
        return value == null ? "<unavailable>" : "***";
    }
}
