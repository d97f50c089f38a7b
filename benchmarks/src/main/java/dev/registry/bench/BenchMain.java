package dev.registry.bench;

import java.nio.file.Path;

/** Entry point: {@code generate DIR EVENTS RECORDS} writes a synthetic log. */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) {
        if (args.length == 4 && args[0].equals("generate")) {
            long t0 = System.nanoTime();
            SyntheticLog.write(Path.of(args[1]), Long.parseLong(args[2]), Integer.parseInt(args[3]));
            System.out.printf("wrote %s events in %.1f s%n", args[2], (System.nanoTime() - t0) / 1e9);
            return;
        }
        System.err.println("usage: generate DIR EVENTS RECORDS");
        System.exit(2);
    }
}
