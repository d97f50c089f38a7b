package dev.registry.server.retention;

import dev.registry.events.log.ChronicleEventLog.RollFile;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Which log files retention may delete: pure, so it tests without files or a clock.
 *
 * <p>A file goes when all of it is older than the retention, it is not the file being written,
 * and a snapshot lies in a later file (so a restart never needs it). Deleting only from the
 * oldest end keeps the log one unbroken run of events.
 */
public final class RetentionRule {

    private final Duration retention;

    /** @param retention how long events are kept; zero keeps them forever */
    public RetentionRule(Duration retention) {
        this.retention = retention;
    }

    /**
     * @param files          the log's files, oldest first
     * @param currentCycle   the cycle being written now
     * @param snapshotCycle  the cycle of the newest snapshot's event, or -1 when there is none
     * @param now            the time now
     * @return the files to delete, oldest first: a prefix of {@code files}
     */
    public List<RollFile> due(List<RollFile> files, int currentCycle, long snapshotCycle, Instant now) {
        List<RollFile> due = new ArrayList<>();
        if (retention.isZero()) {
            return due;
        }
        Instant cutoff = now.minus(retention);
        for (RollFile f : files) {
            boolean expired = !f.end().isAfter(cutoff);
            if (!expired || f.cycle() >= currentCycle || f.cycle() >= snapshotCycle) {
                break;
            }
            due.add(f);
        }
        return due;
    }
}
