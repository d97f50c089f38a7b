package dev.registry.cli;

import picocli.CommandLine;

/**
 * Answers a bad command line with the one thing that is wrong and where the usage is, instead of
 * picocli's default of the error followed by the whole usage text.
 */
public final class ShortUsageErrors implements CommandLine.IParameterExceptionHandler {

    /** Exit code of a command line that could not be understood. */
    public static final int EXIT_USAGE = 2;

    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cli = ex.getCommandLine();
        String name = cli.getCommandSpec().qualifiedName();
        cli.getErr().println(name + ": " + ex.getMessage());
        cli.getErr().println("Try '" + name + " --help' for more information.");
        cli.getErr().flush();
        return EXIT_USAGE;
    }
}
