package dev.registry.server.client;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import dev.registry.server.testing.ChildJvm;
import dev.registry.server.testing.RegistryTestBase;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Java client example, taken from README.md itself, compiles and runs against a real
 * registry: the snippet a newcomer copies cannot drift from what works.
 */
class ReadmeJavaExampleTest extends RegistryTestBase {

    @TempDir
    Path work;

    @Test
    void theReadmeExampleCompilesAndRoutesToTheServerItRegistered() throws Exception {
        Path source = work.resolve("RegistryExample.java");
        Files.writeString(source, javaExample(Files.readString(Path.of("..", "README.md"))));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int compiled = javac.run(
                null,
                diagnostics,
                diagnostics,
                "-d",
                work.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                source.toString());
        assertThat(diagnostics.toString(StandardCharsets.UTF_8), compiled, is(0));

        List<String> command = ChildJvm.command(
                "RegistryExample",
                List.of("http://127.0.0.1:" + registry.server().port()));
        int cp = command.indexOf("-cp");
        command.set(cp + 1, work + java.io.File.pathSeparator + command.get(cp + 1));
        Process example = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(example.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(example.waitFor(60, TimeUnit.SECONDS), is(true));
            assertThat(output, example.exitValue(), is(0));
            assertThat(output, containsString("llama -> http://10.0.0.7:8000"));
            assertThat(output, containsString("added llama-1"));
        } finally {
            example.destroyForcibly();
        }
    }

    /** The one ```java block of the README's "Java client" section. */
    static String javaExample(String readme) {
        int section = readme.indexOf("## Java client");
        assertThat("README has a 'Java client' section", section >= 0, is(true));
        Matcher block = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat("the section has a java block", block.find(section), is(true));
        return block.group(1);
    }
}
