package dev.registry.server.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Damages a log on disk the way a bad sector or a stray write would: inside one event's payload. */
public final class LogDamage {

    private LogDamage() {
    }

    /**
     * Puts a quote into the first occurrence of {@code marker} (at its 7th byte) in the roll files
     * of {@code dataDir}, so the JSON payload that holds it no longer parses.
     */
    public static void breakPayloadContaining(Path dataDir, String marker) throws IOException {
        List<Path> rollFiles;
        try (var files = Files.list(dataDir)) {
            rollFiles = files.filter(p -> p.toString().endsWith(".cq4")).toList();
        }
        byte[] needle = marker.getBytes(StandardCharsets.UTF_8);
        for (Path file : rollFiles) {
            byte[] bytes = Files.readAllBytes(file);
            int at = indexOf(bytes, needle);
            if (at >= 0) {
                bytes[at + 6] = '"';
                Files.write(file, bytes);
                return;
            }
        }
        throw new AssertionError("marker " + marker + " not found in any roll file");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
