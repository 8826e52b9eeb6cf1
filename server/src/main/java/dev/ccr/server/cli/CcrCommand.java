package dev.ccr.server.cli;

import dev.ccr.server.Version;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ccr}: the top of the command tree. */
@Command(
        name = "ccr",
        mixinStandardHelpOptions = true,
        versionProvider = CcrCommand.VersionProvider.class,
        description = {
            "Claude Code Router: a local router between Claude Code and Anthropic, OpenAI-compatible and Gemini APIs.",
            ""
        },
        footer = {
            "",
            "Quick start:  ccr start        then, in another shell:  eval \"$(ccr env)\" && claude",
            "Always on:    ccr service install && ccr claude enable    (undo: ccr service uninstall, ccr claude"
                    + " disable)",
            "Files:        ~/.claude-code-router/config.json (config), logs/ (daemon and request logs), usage.db"
                    + " (usage history)"
        })
final class CcrCommand implements Runnable {
    /**
     * The subcommands by name, in the order help lists them. {@link Main} adds them in code rather than through
     * {@code @Command(subcommands = ...)}: picocli builds the model of every subcommand it is given, by reflection,
     * which took about a third of a second of the router's start; a command line that names one builds only that one.
     * The names are written out rather than read from each class's {@code @Command}, because reading an annotation
     * loads the class and every class the annotation names.
     */
    static final Map<String, Class<?>> SUBCOMMANDS = subcommands(
            Map.entry("start", StartCommand.class),
            Map.entry("stop", StopCommand.class),
            Map.entry("status", StatusCommand.class),
            Map.entry("env", EnvCommand.class),
            Map.entry("code", CodeCommand.class),
            Map.entry("config", ConfigCommand.class),
            Map.entry("claude", ClaudeCommand.class),
            Map.entry("lsp", LspCommand.class),
            Map.entry("service", ServiceCommand.class),
            Map.entry("stats", StatsCommand.class),
            Map.entry("logs", LogsCommand.class),
            Map.entry("completion", CompletionCommand.class),
            Map.entry("statusline", StatuslineCommand.class),
            Map.entry("pricing", PricingCommand.class),
            Map.entry("help", HelpCommand.class),
            Map.entry("cds-training", CdsTrainingCommand.class));

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @SafeVarargs
    private static Map<String, Class<?>> subcommands(Map.Entry<String, Class<?>>... entries) {
        Map<String, Class<?>> byName = new LinkedHashMap<>();
        for (Map.Entry<String, Class<?>> entry : entries) {
            byName.put(entry.getKey(), entry.getValue());
        }
        return Collections.unmodifiableMap(byName);
    }

    static final class VersionProvider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"ccr " + Version.current()};
        }
    }
}
