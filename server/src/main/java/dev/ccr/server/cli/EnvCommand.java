package dev.ccr.server.cli;

import dev.ccr.server.claude.ClientEnvironment;
import dev.ccr.server.config.ConfigException;
import dev.ccr.server.config.ConfigPaths;
import dev.ccr.server.runtime.RunStateFiles;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ccr env}: prints the shell lines that point Claude Code at the router, for {@code eval "$(ccr env)"}. */
@Command(
        name = "env",
        mixinStandardHelpOptions = true,
        versionProvider = CcrCommand.VersionProvider.class,
        description = {
            "Print the environment that points Claude Code at the router.",
            "Use:  eval \"$(ccr env)\"   (fish: ccr env --shell fish | source)"
        })
final class EnvCommand implements Callable<Integer> {
    enum Shell {
        posix,
        fish,
        powershell
    }

    @Mixin
    ConfigOptions options;

    @Option(
            names = "--shell",
            defaultValue = "posix",
            description = "Syntax to print: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    Shell shell;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        options.validate(spec);
        ConfigPaths paths = ConfigPaths.fromEnvironment();
        ClientEnvironment client;
        try {
            var config = options.load(paths).config();
            var running = new RunStateFiles(paths.runDirectory())
                    .live().stream()
                            .filter(s -> options.port == null || s.port() == options.port)
                            .findFirst();
            client = ClientEnvironment.of(config, running);
        } catch (ConfigException e) {
            System.err.println("ccr: the config has problems:\n" + e.getMessage());
            return ExitCodes.FAILURE;
        }
        System.out.print(render(client, shell));
        return ExitCodes.OK;
    }

    static String render(ClientEnvironment client, Shell shell) {
        StringBuilder out = new StringBuilder();
        String comment = "# Claude Code -> ccr. Anthropic endpoints without an apiKey use your own key: keep"
                + " ANTHROPIC_API_KEY set, or set ANTHROPIC_AUTH_TOKEN=ccr:<your key>.\n";
        switch (shell) {
            case posix -> {
                out.append("export ANTHROPIC_BASE_URL=")
                        .append(quote(shell, client.baseUrl()))
                        .append('\n');
                out.append(
                        client.routerToken() != null
                                ? "export ANTHROPIC_AUTH_TOKEN=" + quote(shell, client.routerToken()) + "\n"
                                : "export ANTHROPIC_AUTH_TOKEN=\"${ANTHROPIC_AUTH_TOKEN:-ccr}\"\n");
            }
            case fish -> {
                out.append("set -gx ANTHROPIC_BASE_URL ")
                        .append(quote(shell, client.baseUrl()))
                        .append('\n');
                out.append(
                        client.routerToken() != null
                                ? "set -gx ANTHROPIC_AUTH_TOKEN " + quote(shell, client.routerToken()) + "\n"
                                : "set -q ANTHROPIC_AUTH_TOKEN; or set -gx ANTHROPIC_AUTH_TOKEN ccr\n");
            }
            case powershell -> {
                out.append("$env:ANTHROPIC_BASE_URL = ")
                        .append(quote(shell, client.baseUrl()))
                        .append('\n');
                out.append(
                        client.routerToken() != null
                                ? "$env:ANTHROPIC_AUTH_TOKEN = " + quote(shell, client.routerToken()) + "\n"
                                : "if (-not $env:ANTHROPIC_AUTH_TOKEN) { $env:ANTHROPIC_AUTH_TOKEN = 'ccr' }\n");
            }
        }
        return out.append(comment).toString();
    }

    /** Single quotes, in which none of the three shells expands anything; each escapes a quote its own way. */
    private static String quote(Shell shell, String value) {
        return switch (shell) {
            case posix -> "'" + value.replace("'", "'\\''") + "'";
            case fish -> "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
            case powershell -> "'" + value.replace("'", "''") + "'";
        };
    }
}
