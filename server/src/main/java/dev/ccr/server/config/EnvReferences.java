package dev.ccr.server.config;

import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Environment references as claude-code-router writes them: {@code ${NAME}} or {@code $NAME}, the unbraced form only
 * for names of capitals, digits and underscores. A reference to an unset variable stays as written, as it does there.
 */
final class EnvReferences {
    /** claude-code-router's own pattern: braced names are anything up to the brace, unbraced ones are upper case. */
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}]+)}|\\$([A-Z_][A-Z0-9_]*)");

    private EnvReferences() {}

    /** The text with each reference to a set variable replaced by its value. */
    static String interpolate(String text, Function<String, String> environment) {
        Matcher matcher = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
            String value = environment.apply(name);
            matcher.appendReplacement(out, Matcher.quoteReplacement(value != null ? value : matcher.group()));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /**
     * The text with every {@code $NAME} written as {@code ${NAME}}, the form ccr resolves in secrets ({@link Secret}),
     * so a key kept in the environment stays there (and out of a migrated file).
     */
    static String braced(String text) {
        Matcher matcher = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
            matcher.appendReplacement(out, Matcher.quoteReplacement("${" + name + "}"));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** Whether the text refers to the environment at all. */
    static boolean refersToEnvironment(String text) {
        return REFERENCE.matcher(text).find();
    }
}
