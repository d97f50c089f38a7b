package dev.registry.tools;

import dev.registry.tools.dump.DumpCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code registry-tools.jar}: one subcommand per tool. */
@Command(name = "registry-tools", mixinStandardHelpOptions = true,
        description = "Tools over a registry's event log and HTTP API.",
        subcommands = {DumpCommand.class, CommandLine.HelpCommand.class})
public final class RegistryTools implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the tools with {@code args} and returns the exit code (for tests and main). */
    public static int run(String... args) {
        return new CommandLine(new RegistryTools()).execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }
}
