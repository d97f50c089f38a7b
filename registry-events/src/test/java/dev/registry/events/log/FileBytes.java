package dev.registry.events.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Changes bytes of a file in place, as a bad sector, a torn write or a stray command would. */
public final class FileBytes {

    private FileBytes() {}

    /** Flips the bits of {@code mask} in the byte at {@code position}. */
    public static void flip(Path file, long position, int mask) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, position);
            b.put(0, (byte) (b.get(0) ^ mask));
            ch.write(b.rewind(), position);
        }
    }

    /** Overwrites bytes at {@code position}. */
    public static void write(Path file, long position, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(bytes), position);
        }
    }

    /** Zeroes {@code length} bytes from {@code position}. */
    public static void zero(Path file, long position, int length) throws IOException {
        write(file, position, new byte[length]);
    }

    /** Cuts {@code file} to {@code size} bytes. */
    public static void truncate(Path file, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size);
        }
    }
}
