package dev.registry.router.membership;

import dev.registry.api.ServiceRecord;
import dev.registry.api.watch.ServiceWatcher;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Which backends take requests now: healthy {@code openai-api} records of the active registry, the
 * static services, and static records ({@code metadata.static == true}) even after they left the
 * registry. Recomputed on every change the watchers report and at least every 200 ms (a heartbeat
 * turning too old changes health without an event), so a record that turns unhealthy or leaves is
 * out within a fraction of a second. While no registry is reachable the last set stands.
 */
public final class Membership implements AutoCloseable {

    private static final Duration REFRESH_AT_LEAST_EVERY = Duration.ofMillis(200);

    /** One moment's membership; {@code known} also holds the unhealthy records, for status pages. */
    public record View(List<Backend> members, List<Backend> known, boolean registryReachable) {}

    private final RegistrySources sources;
    private final List<Backend> fixed;
    private final Consumer<String> reRegistered;
    private final Map<String, Backend> rememberedStatic = new ConcurrentHashMap<>();
    private final Object wake = new Object();
    private boolean dirty;
    private volatile boolean closed;
    private volatile View view;
    private Thread refresher;

    /**
     * @param fixed        the backends of {@code --static-services}
     * @param reRegistered told the name of a record registered anew (a new process: its past failures no longer count)
     */
    public Membership(RegistrySources sources, List<Backend> fixed, Consumer<String> reRegistered) {
        this.sources = sources;
        this.fixed = List.copyOf(fixed);
        this.reRegistered = reRegistered;
        this.view = new View(this.fixed, this.fixed, false);
    }

    public void start() {
        refresh();
        refresher = Thread.ofVirtual().name("router-membership").start(this::loop);
    }

    /** Something changed: recompute soon. */
    public void changed() {
        synchronized (wake) {
            dirty = true;
            wake.notifyAll();
        }
    }

    public View view() {
        return view;
    }

    private void loop() {
        while (!closed) {
            synchronized (wake) {
                if (!dirty) {
                    try {
                        wake.wait(REFRESH_AT_LEAST_EVERY.toMillis());
                    } catch (InterruptedException ex) {
                        return;
                    }
                }
                dirty = false;
            }
            refresh();
        }
    }

    private void refresh() {
        Optional<ServiceWatcher> active = sources.active();
        if (active.isEmpty()) {
            View last = view;
            view = new View(last.members(), last.known(), false); // the last known set keeps serving
            return;
        }
        ServiceWatcher watcher = active.get();
        Map<String, Backend> members = new TreeMap<>();
        Map<String, Backend> known = new TreeMap<>();
        for (Backend b : fixed) {
            members.put(b.name(), b);
            known.put(b.name(), b);
        }
        Map<String, ServiceRecord> records = watcher.snapshot();
        Map<String, Backend> before = byName(view.known());
        for (ServiceRecord r : records.values()) {
            if (!"openai-api".equals(r.metadata().path("type").asText(null))) {
                continue;
            }
            Backend b = Backend.of(r, false);
            Backend old = before.get(b.name());
            if (old != null && !old.isStatic() && !old.record().timestamp().equals(r.timestamp())) {
                reRegistered.accept(b.name());
            }
            known.put(b.name(), b);
            // a static record is registered once and may never heartbeat: only its status counts
            boolean member = b.isStatic() ? ServiceRecord.STATUS_RUNNING.equals(r.status()) : watcher.isHealthy(r);
            if (member) {
                members.put(b.name(), b);
            } else {
                members.remove(b.name());
            }
            if (b.isStatic()) {
                rememberedStatic.put(b.name(), b);
            }
        }
        for (Backend b : rememberedStatic.values()) {
            if (!records.containsKey(b.name())) {
                members.putIfAbsent(b.name(), b);
                known.putIfAbsent(b.name(), b);
            }
        }
        view = new View(List.copyOf(members.values()), List.copyOf(known.values()), true);
    }

    private static Map<String, Backend> byName(Collection<Backend> backends) {
        Map<String, Backend> m = new TreeMap<>();
        for (Backend b : backends) {
            m.put(b.name(), b);
        }
        return m;
    }

    @Override
    public void close() {
        closed = true;
        synchronized (wake) {
            wake.notifyAll();
        }
        if (refresher != null) {
            refresher.interrupt();
        }
    }
}
