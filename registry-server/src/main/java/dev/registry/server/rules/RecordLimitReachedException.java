package dev.registry.server.rules;

/**
 * A registration of a new name refused because the registry already holds as many records as
 * its limit allows ({@code --max-records}). Decided on the writer's thread against the view
 * every earlier command has changed, so the limit is exact however many clients race for it.
 */
public final class RecordLimitReachedException extends RuntimeException {

    private final int limit;

    public RecordLimitReachedException(int limit) {
        // refused registrations can come by the thousand: no stack trace to fill in for each
        super("the registry holds at most " + limit + " records", null, false, false);
        this.limit = limit;
    }

    /** The most records the registry holds. */
    public int limit() {
        return limit;
    }
}
