package dev.registry.events.log;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;

/** A file's checksum, streamed: roll files are tens of megabytes (mostly preallocated zeros). */
public final class FileChecksum {

    private FileChecksum() {}

    public static long of(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        try (CheckedInputStream in = new CheckedInputStream(Files.newInputStream(file), crc)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return crc.getValue();
    }
}
