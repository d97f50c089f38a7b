package dev.registry.events.log;

import java.nio.file.Path;
import java.util.List;

/** The log's files are damaged in a way that keeps it from being opened: a file header, a missing file. */
public final class DamagedLogException extends IllegalStateException {

    private final transient List<ChronicleFileCheck.Damage> damage;

    public DamagedLogException(Path dir, List<ChronicleFileCheck.Damage> damage) {
        super("the log in " + dir.toAbsolutePath().normalize() + " is damaged: "
                + damage.getFirst().describe()
                + (damage.size() > 1 ? " (and " + (damage.size() - 1) + " more)" : "")
                + "; start with --repair to set it aside and keep what is readable (registry-tools verify tells more)");
        this.damage = List.copyOf(damage);
    }

    /** Every damaged file found, metadata first, then roll files oldest first. */
    public List<ChronicleFileCheck.Damage> damage() {
        return damage;
    }
}
