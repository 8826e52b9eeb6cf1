package dev.ccr.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.ccr.server.json.Json;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads a config file into an {@link EffectiveConfig}, or explains precisely why it cannot: every problem names the
 * file, line, column and JSON path and says what is allowed there. A file in claude-code-router's format, which lives
 * at the same path, is read as the ccr config with the same effect ({@link ClaudeCodeRouterFormat}), its problems
 * located in the file as written.
 */
public final class ConfigLoader {
    private final Function<String, String> environment;

    public ConfigLoader(Function<String, String> environment) {
        this.environment = environment;
    }

    /** A loader reading {@code ${ENV}} references from the process environment. */
    public static ConfigLoader fromSystemEnvironment() {
        return new ConfigLoader(System::getenv);
    }

    /**
     * A usable config and what deserves a warning (an unset {@code ${ENV}} in an apiKey, say).
     *
     * @param format the format the file is written in; for a claude-code-router file, the first warning says so
     */
    public record Loaded(EffectiveConfig config, List<ConfigProblem> warnings, ConfigFormat format) {}

    /** Loads the file, or the built-in defaults when it does not exist. */
    public Loaded load(Path file, Overrides overrides) throws ConfigException {
        byte[] text;
        try {
            text = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return defaults(file, overrides);
        } catch (IOException e) {
            throw new ConfigException(
                    new ConfigProblem(file.toString(), 0, 0, null, "cannot read the config file: " + e.getMessage()));
        }
        return parse(text, file, overrides);
    }

    /** The config used when there is no file: one Anthropic endpoint forwarding the client's own key. */
    public Loaded defaults(Path file, Overrides overrides) throws ConfigException {
        return resolve(builtIn(), null, file, false, overrides);
    }

    /** The built-in config, as a file with the same effect would hold it. */
    public static RouterConfig builtIn() {
        return new RouterConfig(
                null,
                null,
                null,
                null,
                List.of(new EndpointConfig(
                        "anthropic",
                        EndpointType.ANTHROPIC,
                        "https://api.anthropic.com/v1",
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null)),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    /** Parses config text; {@code file} is used in messages and recorded in the result. */
    public Loaded parse(byte[] text, Path file, Overrides overrides) throws ConfigException {
        String name = file.toString();
        if (new String(text, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            throw new ConfigException(new ConfigProblem(
                    name,
                    1,
                    1,
                    null,
                    "the file is empty; write a JSON object such as {\"endpoints\": [...]}, or"
                            + " delete the file to run on the defaults"));
        }
        LocatedJson json;
        try {
            json = LocatedJson.parse(text);
        } catch (JsonProcessingException e) {
            json = json5(text);
            if (json == null) {
                JsonLocation at = e.getLocation() == null ? JsonLocation.NA : e.getLocation();
                throw new ConfigException(new ConfigProblem(
                        name, at.getLineNr(), at.getColumnNr(), null, "invalid JSON: " + cleanParseMessage(e)));
            }
        }
        if (!json.root().isObject()) {
            throw new ConfigException(new ConfigProblem(name, 1, 1, "$", "the config must be a JSON object { ... }"));
        }
        if (ClaudeCodeRouterFormat.recognises(json.root())) {
            return claudeCodeRouter(json, file, overrides);
        }
        RouterConfig raw;
        try {
            raw = Json.MAPPER.treeToValue(json.root(), RouterConfig.class);
        } catch (JsonProcessingException e) {
            throw new ConfigException(mappingProblem(e, json, name));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(new ConfigProblem(name, 0, 0, null, e.getMessage()));
        }
        return resolve(raw, json, file, true, overrides);
    }

    private Loaded resolve(RouterConfig raw, LocatedJson json, Path file, boolean fromFile, Overrides overrides)
            throws ConfigException {
        ConfigResolver resolver = new ConfigResolver(environment);
        EffectiveConfig config = resolver.resolve(raw, file, fromFile, overrides);
        String name = file.toString();
        List<ConfigProblem> problems = locate(resolver.problems(), json, name, WrittenPaths.SAME);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new Loaded(config, locate(resolver.warnings(), json, name, WrittenPaths.SAME), ConfigFormat.CCR);
    }

    /**
     * A claude-code-router file (only JSON5 lets it get here with comments or trailing commas; ccr's own format
     * stays strict JSON). Every problem, the resolver's included, is shown where the user wrote the part it is about.
     */
    private Loaded claudeCodeRouter(LocatedJson json, Path file, Overrides overrides) throws ConfigException {
        ClaudeCodeRouterFormat.Translation translation = ClaudeCodeRouterFormat.translate(json.root(), environment);
        ConfigResolver resolver = new ConfigResolver(environment);
        EffectiveConfig config = resolver.resolve(translation.config(), file, true, overrides);
        String name = file.toString();
        List<ConfigProblem> problems = new ArrayList<>(locate(translation.problems(), json, name, WrittenPaths.SAME));
        problems.addAll(locate(resolver.problems(), json, name, translation.paths()));
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        List<ConfigProblem> warnings = new ArrayList<>();
        // About the whole file, which starts at 1:1 (the editor status lists warnings by line).
        warnings.add(new ConfigProblem(name, 1, 1, null, ClaudeCodeRouterFormat.NOTICE));
        warnings.addAll(locate(translation.warnings(), json, name, WrittenPaths.SAME));
        warnings.addAll(locate(resolver.warnings(), json, name, translation.paths()));
        return new Loaded(config, List.copyOf(warnings), ConfigFormat.CLAUDE_CODE_ROUTER);
    }

    /** The text parsed as JSON5 if it is a claude-code-router file, whose loader reads JSON5; else {@code null}. */
    private static LocatedJson json5(byte[] text) {
        try {
            LocatedJson json = LocatedJson.parse(text, true);
            return ClaudeCodeRouterFormat.recognises(json.root()) ? json : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** The format of config text, as {@link #parse} would read it; {@code null} when it is not readable at all. */
    public static ConfigFormat formatOf(byte[] text) {
        try {
            return ClaudeCodeRouterFormat.recognises(LocatedJson.parse(text).root())
                    ? ConfigFormat.CLAUDE_CODE_ROUTER
                    : ConfigFormat.CCR;
        } catch (JsonProcessingException e) {
            return json5(text) != null ? ConfigFormat.CLAUDE_CODE_ROUTER : null;
        }
    }

    private static List<ConfigProblem> locate(
            Collection<ConfigProblems.Problem> problems, LocatedJson json, String file, WrittenPaths paths) {
        List<ConfigProblem> located = new ArrayList<>();
        for (ConfigProblems.Problem problem : problems) {
            ConfigPath written = paths.written(problem.path());
            JsonLocation at = json == null ? JsonLocation.NA : json.locate(written.pointer());
            located.add(new ConfigProblem(
                    json == null ? null : file,
                    Math.max(at.getLineNr(), 0),
                    Math.max(at.getColumnNr(), 0),
                    written.display(),
                    problem.message()));
        }
        return located;
    }

    private static ConfigProblem mappingProblem(JsonProcessingException e, LocatedJson json, String file) {
        ConfigPath path = ConfigPath.ROOT;
        if (e instanceof JsonMappingException mapping) {
            for (JsonMappingException.Reference reference : mapping.getPath()) {
                path = reference.getIndex() >= 0
                        ? path.index(reference.getIndex())
                        : path.key(reference.getFieldName());
            }
        }
        String message;
        boolean atRoot = path.segments().size() == 1;
        if (e instanceof UnrecognizedPropertyException unknown) {
            List<String> allowed = unknown.getKnownPropertyIds().stream()
                    .map(Object::toString)
                    .filter(k -> !k.equals("$schema") || atRoot)
                    .sorted()
                    .toList();
            String suggestion = closest(unknown.getPropertyName(), allowed);
            message = "unknown key \"" + unknown.getPropertyName() + "\""
                    + (suggestion == null ? "" : " (did you mean \"" + suggestion + "\"?)") + "; allowed here: "
                    + String.join(", ", allowed);
        } else if (e instanceof InvalidFormatException invalid
                && invalid.getTargetType().isEnum()) {
            message = "\"" + invalid.getValue() + "\" is not allowed; allowed: "
                    + String.join(", ", enumNames(invalid.getTargetType()));
        } else if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            message = "expected " + describe(mismatch.getTargetType()) + " here";
        } else {
            message = e.getOriginalMessage();
        }
        JsonLocation at = json.locate(path.pointer());
        return new ConfigProblem(file, at.getLineNr(), at.getColumnNr(), path.display(), message);
    }

    private static String describe(Class<?> type) {
        if (type == RouteConfig.class) {
            return RouteConfig.SHAPES;
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class || type == URI.class) {
            return "a string";
        }
        if (type.isEnum()) {
            return "one of " + String.join(", ", enumNames(type));
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "an array [ ... ]";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "an object { ... }";
        }
        return "a " + type.getSimpleName();
    }

    private static List<String> enumNames(Class<?> type) {
        return Arrays.stream(type.getFields())
                .filter(java.lang.reflect.Field::isEnumConstant)
                .map(f -> {
                    JsonProperty property = f.getAnnotation(JsonProperty.class);
                    return property != null ? property.value() : f.getName();
                })
                .toList();
    }

    /** Jackson's parse messages end with a source excerpt that repeats the location we already give. */
    private static String cleanParseMessage(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        int excerpt = message.indexOf("\n at [Source");
        return excerpt >= 0 ? message.substring(0, excerpt) : message;
    }

    /** The allowed key closest to a misspelt one, if it is close enough to be a likely typo. */
    static String closest(String typo, Collection<String> candidates) {
        return candidates.stream()
                .filter(c -> distance(typo.toLowerCase(), c.toLowerCase()) <= Math.max(1, c.length() / 3))
                .min(Comparator.comparingInt(c -> distance(typo.toLowerCase(), c.toLowerCase())))
                .orElse(null);
    }

    /** Edit distance counting a swap of neighbours as one edit (optimal string alignment): "prot" is 1 from "port". */
    private static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
