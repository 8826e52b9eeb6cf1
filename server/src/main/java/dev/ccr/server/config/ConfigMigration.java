package dev.ccr.server.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ccr.server.files.AtomicFiles;
import dev.ccr.server.json.Json;
import dev.ccr.server.json.JsonPrinter;
import dev.ccr.server.json.JsonStyle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code ccr config migrate}: rewrites a claude-code-router file in ccr's own format. The original is copied next to
 * it first and never touched again; the new text is written only if it loads to exactly the config the original
 * loads to, so nothing that worked stops working.
 */
public final class ConfigMigration {
    /** Where the original goes, beside the config. Not {@code config.json*.bak}: claude-code-router prunes those. */
    static final String BACKUP_NAME = "config.claude-code-router";

    private static final ObjectMapper WITHOUT_NULLS =
            Json.MAPPER.copy().setSerializationInclusion(JsonInclude.Include.NON_NULL);

    /** Why a file was not migrated; nothing was written. */
    public static final class Refused extends Exception {
        private final List<ConfigProblem> problems;

        Refused(String message, List<ConfigProblem> problems) {
            super(message, null, false, false);
            this.problems = List.copyOf(problems);
        }

        Refused(String message) {
            this(message, List.of());
        }

        /** The problems that stop the original from loading, if that is why. */
        public List<ConfigProblem> problems() {
            return problems;
        }
    }

    /**
     * One part of the original and what it became.
     *
     * @param written where it is in the original, such as {@code Providers[1] deepseek}
     * @param ccr where it is in ccr's format, and what it is there
     */
    public record Change(String written, String ccr) {}

    /**
     * A migration, done or (with {@code dryRun}) only shown.
     *
     * @param backup where the original was copied, or {@code null} for a dry run
     * @param text the config in ccr's format
     * @param changes what became what, one line each
     * @param notCarried what the original asked for that ccr did not do (and so the migrated file does not say)
     */
    public record Result(Path file, Path backup, String text, List<Change> changes, List<ConfigProblem> notCarried) {}

    private final ConfigLoader loader;
    private final Function<String, String> environment;

    public ConfigMigration(Function<String, String> environment) {
        this.environment = environment;
        this.loader = new ConfigLoader(environment);
    }

    /** Migrates {@code file}; with {@code dryRun} writes nothing and only says what it would do. */
    public Result migrate(Path file, boolean dryRun) throws Refused {
        file = file.toAbsolutePath();
        byte[] original = read(file);
        ConfigFormat format = ConfigLoader.formatOf(original);
        if (format == ConfigFormat.CCR) {
            throw new Refused(file + " is already in ccr's format; there is nothing to migrate");
        }
        ConfigLoader.Loaded before;
        try {
            before = loader.parse(original, file, Overrides.NONE);
        } catch (ConfigException e) {
            throw new Refused(
                    file + " has problems that stop it from loading; fix them first (nothing was written):\n"
                            + e.getMessage(),
                    e.problems());
        }
        if (format == null || before.format() != ConfigFormat.CLAUDE_CODE_ROUTER) {
            throw new Refused(file + " is not a claude-code-router config; there is nothing to migrate");
        }
        ClaudeCodeRouterFormat.Translation translation = translate(original);
        String text = render(translation.config());
        byte[] migrated = text.getBytes(StandardCharsets.UTF_8);
        ConfigLoader.Loaded after;
        try {
            after = loader.parse(migrated, file, Overrides.NONE);
        } catch (ConfigException e) {
            throw new IllegalStateException("the migrated config does not load: " + e.getMessage(), e);
        }
        if (!after.config().equals(before.config())) {
            throw new IllegalStateException("the migrated config would not route as the original does; please report"
                    + " this with the original file (its keys removed)");
        }
        // What the migrated file still warns about (an unset variable, say) is not something left behind.
        Set<String> stillWarned =
                after.warnings().stream().map(ConfigProblem::message).collect(Collectors.toSet());
        List<ConfigProblem> notCarried = before.warnings().stream()
                .filter(w -> !w.message().equals(ClaudeCodeRouterFormat.NOTICE))
                .filter(w -> !stillWarned.contains(w.message()))
                .toList();
        if (dryRun) {
            return new Result(file, null, text, translation.changes(), notCarried);
        }
        Path backup = backupPath(file);
        try {
            AtomicFiles.write(backup, original, permissions(file));
            if (!Arrays.equals(read(file), original)) {
                throw new Refused(file + " changed while it was being migrated; nothing was replaced (a copy of the"
                        + " version read is in " + backup + "); try again");
            }
            AtomicFiles.write(file, migrated, null);
        } catch (IOException e) {
            throw new Refused("cannot write " + e.getMessage() + "; " + file + " was not changed");
        }
        return new Result(file, backup, text, translation.changes(), notCarried);
    }

    private ClaudeCodeRouterFormat.Translation translate(byte[] original) throws Refused {
        try {
            return ClaudeCodeRouterFormat.translate(
                    LocatedJson.parse(original, true).root(), environment);
        } catch (JsonProcessingException e) {
            throw new Refused("the file could not be read again: " + e.getOriginalMessage());
        }
    }

    /** The config as ccr writes JSON: two-space indents, no nulls, a final newline. */
    static String render(RouterConfig config) {
        JsonNode tree = WITHOUT_NULLS.valueToTree(config);
        return JsonPrinter.print(tree, JsonStyle.DEFAULT, "") + "\n";
    }

    /** {@code config.claude-code-router.json}, or the first free {@code config.claude-code-router.N.json}. */
    static Path backupPath(Path file) {
        Path directory = file.getParent();
        Path backup = directory.resolve(BACKUP_NAME + ".json");
        for (int n = 1; Files.exists(backup, java.nio.file.LinkOption.NOFOLLOW_LINKS); n++) {
            backup = directory.resolve(BACKUP_NAME + "." + n + ".json");
        }
        return backup;
    }

    private static byte[] read(Path file) throws Refused {
        try {
            Optional<byte[]> bytes = AtomicFiles.read(file);
            if (bytes.isEmpty()) {
                throw new Refused("there is no config file at " + file + "; there is nothing to migrate");
            }
            return bytes.get();
        } catch (IOException e) {
            throw new Refused("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** The original's permissions for its copy, which holds the same keys; owner-only where they cannot be read. */
    private static Set<PosixFilePermission> permissions(Path file) {
        try {
            return Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException | IOException e) {
            return AtomicFiles.PRIVATE;
        }
    }
}
