package dev.registry.events.log;

/**
 * An event the log holds but will not hand out: its checksum does not match its bytes, or its
 * frame is malformed. Nothing read from such an event is ever returned.
 */
public final class DamagedEventException extends IllegalStateException {

    private final long index;
    private final String file;
    private final String problem;

    /** Damage found in a frame on its own, before the log says where the frame is. */
    public DamagedEventException(String problem) {
        this(-1, null, problem);
    }

    /**
     * @param index   the event's position in the log, or -1 when not known
     * @param file    the file that holds it (for people), or {@code null}
     * @param problem what is wrong, e.g. {@code checksum mismatch (stored ..., computed ...)}
     */
    public DamagedEventException(long index, String file, String problem) {
        super(describe(index, file, problem));
        this.index = index;
        this.file = file;
        this.problem = problem;
    }

    private static String describe(long index, String file, String problem) {
        return (index < 0 ? problem : problem + " at index " + index) + (file == null ? "" : " in " + file);
    }

    /** The same damage, located: at {@code index} in {@code file}. */
    public DamagedEventException at(long index, String file) {
        return new DamagedEventException(index, file, problem);
    }

    /** The damaged event's position in the log, or -1 when not known. */
    public long index() {
        return index;
    }

    /** The file that holds the event, or {@code null}. */
    public String file() {
        return file;
    }

    /** What is wrong with the event, without where it is. */
    public String problem() {
        return problem;
    }
}
