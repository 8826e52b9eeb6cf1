package dev.ccr.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/** The {@code ccr} command's entry point. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit status; the CLI tests call this directly too. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new CcrCommand());
        cli.setParameterExceptionHandler(Main::onBadUsage);
        // Everything from the first argument ccr does not know belongs to claude.
        cli.getSubcommands().get("code").setStopAtPositional(true).setUnmatchedOptionsArePositionalParams(true);
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            System.err.println("ccr: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return ExitCodes.FAILURE;
        });
        return cli;
    }

    /** One line that says what is wrong and where to look, instead of the whole usage text. */
    private static int onBadUsage(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        String name = command.getCommandSpec().qualifiedName();
        StringBuilder line = new StringBuilder(name).append(": ").append(e.getMessage());
        if (e instanceof UnmatchedArgumentException unmatched
                && !unmatched.getSuggestions().isEmpty()) {
            line.append(" (did you mean ")
                    .append(unmatched.getSuggestions().get(0))
                    .append("?)");
        }
        line.append("; see '").append(name).append(" --help'");
        command.getErr().println(line);
        return ExitCodes.USAGE;
    }
}
