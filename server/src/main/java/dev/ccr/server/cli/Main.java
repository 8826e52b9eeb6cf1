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
        return commandLine(args).execute(args);
    }

    /**
     * The command tree for {@code args}: when they start with a subcommand's name, only that subcommand (so {@code ccr
     * start} does not reflect over every other command); otherwise all of them, for help, suggestions and errors.
     */
    static CommandLine commandLine(String... args) {
        CommandLine cli = new CommandLine(new CcrCommand());
        Class<?> named = args.length == 0 || args[0].equals("help") ? null : CcrCommand.SUBCOMMANDS.get(args[0]);
        if (named != null) {
            cli.addSubcommand(named);
        } else {
            CcrCommand.SUBCOMMANDS.values().forEach(cli::addSubcommand);
        }
        cli.setParameterExceptionHandler(Main::onBadUsage);
        CommandLine code = cli.getSubcommands().get("code");
        if (code != null) {
            // Everything from the first argument ccr does not know belongs to claude.
            code.setStopAtPositional(true).setUnmatchedOptionsArePositionalParams(true);
        }
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
