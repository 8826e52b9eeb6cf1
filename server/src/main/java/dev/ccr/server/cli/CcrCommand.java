package dev.ccr.server.cli;

import dev.ccr.server.Version;
import picocli.CommandLine.Command;
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
        subcommands = {
            StartCommand.class,
            StopCommand.class,
            StatusCommand.class,
            EnvCommand.class,
            CodeCommand.class,
            ConfigCommand.class,
            ClaudeCommand.class,
            LspCommand.class,
            StatsCommand.class,
            LogsCommand.class,
            picocli.CommandLine.HelpCommand.class
        },
        footer = {
            "",
            "Quick start:  ccr start        then, in another shell:  eval \"$(ccr env)\" && claude",
            "Always on:    ccr start --daemon && ccr claude enable     (undo: ccr claude disable)",
            "Files:        ~/.claude-code-router/config.json (config), logs/ (daemon and request logs), usage.db"
                    + " (usage history)"
        })
final class CcrCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class VersionProvider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"ccr " + Version.current()};
        }
    }
}
