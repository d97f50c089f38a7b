package dev.registry.server.testing;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/** Command lines for child JVMs that run this test's classpath with this JVM's Chronicle flags. */
public final class ChildJvm {

    private ChildJvm() {
    }

    /** {@code java <flags> -cp <test classpath> mainClass args…} */
    public static List<String> command(String mainClass, List<String> args) {
        return command(List.of(), mainClass, args);
    }

    /** As {@link #command(String, List)}, with more JVM options before the class path. */
    public static List<String> command(List<String> jvmOptions, String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-") || arg.startsWith("--enable-native-access")
                    || arg.startsWith("--sun-misc") || arg.startsWith("-Dchronicle")) {
                command.add(arg);
            }
        }
        command.addAll(jvmOptions);
        command.addAll(List.of("-Xmx256m", "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(args);
        return command;
    }
}
