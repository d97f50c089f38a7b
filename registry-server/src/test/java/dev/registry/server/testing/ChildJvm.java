package dev.registry.server.testing;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Command lines for child JVMs that run this test's classpath with this JVM's Chronicle flags. */
public final class ChildJvm {

    private ChildJvm() {}

    /** {@code java <flags> -cp <test classpath> mainClass args…} */
    public static List<String> command(String mainClass, List<String> args) {
        return command(List.of(), mainClass, args);
    }

    /** As {@link #command(String, List)}, with more JVM options before the class path. */
    public static List<String> command(List<String> jvmOptions, String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-")
                    || arg.startsWith("--enable-native-access")
                    || arg.startsWith("--sun-misc")
                    || arg.startsWith("-Dchronicle")) {
                command.add(arg);
            }
        }
        command.addAll(jvmOptions);
        command.addAll(List.of("-Xmx256m", "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(args);
        return command;
    }

    /**
     * Runs {@code command} as a process whose home directory is {@code home} ({@code HOME} and
     * {@code user.home}), without the {@code -Dchronicle...} properties this JVM has: so the
     * process has only the code's own settings for Chronicle, and whatever it writes to its home
     * shows there. JUnit is left off its class path, which Chronicle's analytics look for.
     */
    public static ProcessBuilder inHome(List<String> command, Path home) {
        List<String> own = new ArrayList<>(
                command.stream().filter(a -> !a.startsWith("-Dchronicle")).toList());
        // Chronicle mutes its analytics when it sees JUnit on the class path: the process must not
        int cp = own.indexOf("-cp") + 1;
        own.set(
                cp,
                java.util.Arrays.stream(own.get(cp).split(java.io.File.pathSeparator))
                        .filter(entry ->
                                !Path.of(entry).getFileName().toString().startsWith("junit-"))
                        .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator)));
        own.add(1, "-Duser.home=" + home);
        ProcessBuilder builder = new ProcessBuilder(own);
        builder.environment().put("HOME", home.toString());
        return builder;
    }
}
