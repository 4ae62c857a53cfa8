package dev.weft.store;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Each flow's latest published version number as the execute path asks for it. Exact for a database that only this
 * process writes (the embedded one); on a shared one a guess, which the accept checks (see
 * {@link JdbcFlowStore#latestVersionGuess}). Any change to any flow here (create, publish, delete), or a stale guess
 * found by an accept, makes every entry stale: an
 * entry counts only while no change has happened since the read that made it began, so a read racing a publish
 * is never kept past it. Flows that do not exist are not kept.
 */
final class LatestVersions {

    static final int ENTRIES_MAX = 10_000;

    private record Entry(long generation, Optional<Integer> latest) {}

    private final AtomicLong generation = new AtomicLong();
    private final Map<Long, Entry> entries = new ConcurrentHashMap<>();

    Optional<Optional<Integer>> get(long flowId, Supplier<Optional<Optional<Integer>>> read) {
        long now = generation.get();
        Entry entry = entries.get(flowId);
        if (entry != null && entry.generation() == now) return Optional.of(entry.latest());
        Optional<Optional<Integer>> found = read.get();
        if (found.isPresent()) {
            if (entries.size() >= ENTRIES_MAX) entries.clear();
            entries.put(flowId, new Entry(now, found.get()));
        }
        return found;
    }

    /** A flow changed (after its write committed). */
    void changed() {
        generation.incrementAndGet();
    }
}
