package dev.ccr.server.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code ccr completion bash|zsh|fish}: a completion script for the whole command tree. This command alone builds the
 * model of every subcommand (see {@link Main#commandLine}); the script is generated from it, so it cannot drift from
 * the commands and options that exist.
 */
@Command(
        name = "completion",
        mixinStandardHelpOptions = true,
        versionProvider = CcrCommand.VersionProvider.class,
        description = {
            "Print a shell completion script for ccr.",
            "bash:  source <(ccr completion bash)      (or save it in ~/.local/share/bash-completion/completions/ccr)",
            "zsh:   source <(ccr completion zsh)       (in ~/.zshrc; uses zsh's bash completion support)",
            "fish:  ccr completion fish > ~/.config/fish/completions/ccr.fish"
        })
final class CompletionCommand implements Callable<Integer> {
    /** The shells there are scripts for. */
    enum Shell {
        bash,
        zsh,
        fish
    }

    @Parameters(paramLabel = "SHELL", description = "bash, zsh or fish.")
    Shell shell;

    @Override
    public Integer call() {
        CommandLine tree = Main.commandLine();
        String script =
                switch (shell) {
                    // picocli's script is written for bash and, through bashcompinit, zsh.
                    case bash, zsh -> AutoComplete.bash("ccr", tree);
                    case fish -> FishCompletion.script("ccr", tree);
                };
        System.out.print(script);
        return ExitCodes.OK;
    }
}
