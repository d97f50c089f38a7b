package dev.registry.router.testing;

import dev.registry.router.RouterServer;
import dev.registry.router.RouterSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** Routers and scripted backends for a test, all closed after it. */
public abstract class RouterTestBase {

    @TempDir
    protected Path tmp;

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void closeEverything() throws Exception {
        for (AutoCloseable c : cleanup.reversed()) {
            c.close();
        }
    }

    /** Closes {@code c} after the test, before what was registered earlier. */
    protected <T extends AutoCloseable> T closeAfter(T c) {
        cleanup.add(c);
        return c;
    }

    protected ScriptedBackend backend(ScriptedBackend.Script script) {
        return closeAfter(new ScriptedBackend(script));
    }

    /** A router over the static services {@code entries} (a JSON array's text) and these registries. */
    protected RouterServer router(String entries, List<String> registries, UnaryOperator<RouterSettings> customize) {
        return closeAfter(RouterFixture.start(tmp, entries, registries, customize));
    }
}
