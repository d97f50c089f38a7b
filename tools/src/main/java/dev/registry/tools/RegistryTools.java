package dev.registry.tools;

import dev.registry.cli.ShortUsageErrors;
import dev.registry.events.log.UnsafeMemoryAccess;
import dev.registry.tools.babysit.BabysitCommand;
import dev.registry.tools.convert.ConvertLogCommand;
import dev.registry.tools.dump.DumpCommand;
import dev.registry.tools.events.EventsCommand;
import dev.registry.tools.history.HistoryCommand;
import dev.registry.tools.replay.ReplayCommand;
import dev.registry.tools.route.RouteCommand;
import dev.registry.tools.stats.StatsCommand;
import dev.registry.tools.timetravel.AtCommand;
import dev.registry.tools.timetravel.DiffCommand;
import dev.registry.tools.verify.VerifyCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code registry-tools.jar}: one subcommand per tool. */
@Command(
        name = "registry-tools",
        mixinStandardHelpOptions = true,
        description = "Tools over a registry's event log and HTTP API.",
        subcommands = {
            HistoryCommand.class,
            EventsCommand.class,
            AtCommand.class,
            DiffCommand.class,
            StatsCommand.class,
            VerifyCommand.class,
            ReplayCommand.class,
            DumpCommand.class,
            ConvertLogCommand.class,
            BabysitCommand.class,
            RouteCommand.class,
            CommandLine.HelpCommand.class
        })
public final class RegistryTools implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        UnsafeMemoryAccess.quietWarning();
        System.exit(run(args));
    }

    /** Runs the tools with {@code args} on standard output and error; returns the exit code. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** Runs the tools with {@code args}, writing to {@code out} and {@code err}; returns the exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = commandLine();
        cli.setOut(out);
        cli.setErr(err);
        int exit = cli.execute(args);
        out.flush();
        err.flush();
        return exit;
    }

    private static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new RegistryTools());
        cli.setParameterExceptionHandler(new ShortUsageErrors());
        return cli;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }
}
