package dev.weft.store;

import dev.weft.flow.Flow;
import java.time.Clock;
import java.time.Duration;

/**
 * The task table of one process ({@code owner}), by role: {@link #accept()} commits new tasks, {@link #queue()} is
 * what workers claim from, {@link #journal()} records steps and outcomes under the lease, {@link #reads()} answers
 * the API. All four share the database and its group commit; this only builds them once, in one place.
 */
public final class JdbcTaskStore {

    public static final Duration LEASE_DEFAULT = Duration.ofSeconds(30);

    private final String owner;
    private final Duration lease;
    private final FlowVersions versions;
    private final JdbcTaskAccept accept;
    private final JdbcTaskQueue queue;
    private final JdbcTaskJournal journal;
    private final JdbcTaskReads reads;

    /** {@code owner} names this process in {@code lease_owner}; it must differ between processes sharing a database. */
    public JdbcTaskStore(Database database, JdbcFlowStore flows, Clock clock, String owner, Duration lease) {
        this.owner = owner;
        this.lease = lease;
        this.versions = new FlowVersions(flows);
        this.accept = new JdbcTaskAccept(database, clock, owner, lease);
        this.queue = new JdbcTaskQueue(database, clock, owner, lease, 0);
        this.journal = new JdbcTaskJournal(database, owner);
        this.reads = new JdbcTaskReads(database, versions);
    }

    public String owner() {
        return owner;
    }

    public Duration lease() {
        return lease;
    }

    /** Accepting new tasks. */
    public JdbcTaskAccept accept() {
        return accept;
    }

    /** The queue with no per-flow limit ({@link JdbcTaskQueue#underFlowLimit} for one). */
    public JdbcTaskQueue queue() {
        return queue;
    }

    /** Recording steps and outcomes of the tasks this process runs; cancelling. */
    public JdbcTaskJournal journal() {
        return journal;
    }

    /** What the API reads. */
    public JdbcTaskReads reads() {
        return reads;
    }

    /** The parsed document of a published flow version (cached: a version never changes). */
    public Flow flowVersion(long flowId, int version) {
        return versions.parsed(flowId, version);
    }
}
