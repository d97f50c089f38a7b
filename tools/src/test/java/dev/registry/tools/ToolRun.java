package dev.registry.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.registry.server.testing.ChildJvm;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the tools in this JVM or as a separate process, and keeps what they printed. */
public record ToolRun(int exit, String out, String err) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static ToolRun inProcess(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = RegistryTools.run(new PrintWriter(out), new PrintWriter(err), args);
        return new ToolRun(exit, out.toString(), err.toString());
    }

    /** {@code java -cp … RegistryTools args…} in a child process. */
    public static ToolRun process(String... args) {
        return run(new ProcessBuilder(ChildJvm.command(RegistryTools.class.getName(), List.of(args))), args);
    }

    /** As {@link #process}, in a process whose home is {@code home} ({@link ChildJvm#inHome}). */
    public static ToolRun processInHome(java.nio.file.Path home, String... args) {
        return run(ChildJvm.inHome(ChildJvm.command(RegistryTools.class.getName(), List.of(args)), home), args);
    }

    private static ToolRun run(ProcessBuilder builder, String... args) {
        try {
            Process p = builder.start();
            p.getOutputStream().close();
            java.util.concurrent.CompletableFuture<byte[]> err =
                    java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                        try {
                            return p.getErrorStream().readAllBytes();
                        } catch (IOException ex) {
                            throw new java.io.UncheckedIOException(ex);
                        }
                    });
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("tool did not finish: " + List.of(args));
            }
            return new ToolRun(
                    p.exitValue(),
                    new String(out, StandardCharsets.UTF_8),
                    new String(err.join(), StandardCharsets.UTF_8));
        } catch (IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    public JsonNode json() {
        try {
            return JSON.readTree(out);
        } catch (IOException ex) {
            throw new AssertionError("not JSON: " + out + "\nstderr: " + err, ex);
        }
    }

    @Override
    public String toString() {
        return "exit " + exit + "\nout: " + out + "\nerr: " + err;
    }
}
