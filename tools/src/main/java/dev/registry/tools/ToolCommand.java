package dev.registry.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.registry.api.PlainJson;
import dev.registry.api.Timestamps;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every log tool shares: the log options, output, and one exit-code convention
 * (0 ok, 1 the check failed, 2 the tool could not run: no log, bad arguments).
 */
public abstract class ToolCommand implements Callable<Integer> {

    protected static final ObjectMapper JSON = PlainJson.newMapper();
    private static final ObjectMapper PRETTY = PlainJson.newMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Mixin
    protected LogOptions log;

    @Spec
    protected CommandSpec spec;

    @Override
    public final Integer call() throws Exception {
        try {
            return run();
        } catch (IllegalArgumentException ex) {
            err().println(spec.name() + ": " + ex.getMessage());
            return 2;
        } catch (IllegalStateException ex) {
            err().println(spec.name() + ": " + ex.getMessage());
            return 1;
        }
    }

    /**
     * Does the work; IllegalArgumentException (a wrong request) becomes exit code 2 with its
     * message, IllegalStateException (a log that cannot answer) exit code 1.
     */
    protected abstract int run() throws Exception;

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Prints a JSON document, indented for reading. */
    protected void printJson(JsonNode node) throws Exception {
        out().println(PRETTY.writeValueAsString(node));
    }

    /** Parses a time argument (ISO-8601 or epoch seconds) as picocli reports bad values. */
    protected Instant time(String value, String what) {
        try {
            return Timestamps.parse(value);
        } catch (IllegalArgumentException ex) {
            throw new CommandLine.ParameterException(spec.commandLine(), what + ": " + ex.getMessage());
        }
    }
}
