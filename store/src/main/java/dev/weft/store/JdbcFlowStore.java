package dev.weft.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.json.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Flows, their published versions and the draft snapshots test-runs ran. A deleted flow disappears from the API; its versions stay for its tasks. */
public final class JdbcFlowStore {

    private static final String COLUMNS = """
            f.id, f.name, f.document, f.created_at, f.updated_at, f.workspace_id,
            (SELECT MAX(v.version) FROM flow_versions v WHERE v.flow_id = f.id AND v.version < """ + FlowVersion.DRAFTS_FROM
            + ") AS latest_version";
    private static final String SELECT_ONE = "SELECT " + COLUMNS + " FROM flows f WHERE f.id = ? AND f.deleted_at IS NULL";
    private static final String SELECT_ALL = "SELECT " + COLUMNS + " FROM flows f WHERE f.deleted_at IS NULL ORDER BY f.id";
    private static final String SELECT_WORKSPACE = "SELECT " + COLUMNS
            + " FROM flows f WHERE f.workspace_id = ? AND f.deleted_at IS NULL ORDER BY f.id";
    private static final String WORKSPACE_OF = "SELECT workspace_id FROM flows WHERE id = ?";
    private static final String INSERT = """
            INSERT INTO flows (name, document, created_at, updated_at, workspace_id) VALUES (?, ?, ?, ?, ?) RETURNING id""";
    private static final String UPDATE = """
            UPDATE flows SET name = ?, document = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL""";
    private static final String DELETE = "UPDATE flows SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL";
    private static final String INSERT_VERSION = """
            INSERT INTO flow_versions (flow_id, version, document, created_at, published_by)
            SELECT ?, COALESCE(MAX(version), 0) + 1, ?, ?, ? FROM flow_versions WHERE flow_id = ? AND version < """
            + FlowVersion.DRAFTS_FROM + " RETURNING version";
    private static final String SELECT_VERSION = """
            SELECT flow_id, version, document, created_at, published_by FROM flow_versions
            WHERE flow_id = ? AND version = ?""";
    private static final String SELECT_VERSIONS = """
            SELECT flow_id, version, document, created_at, published_by FROM flow_versions WHERE flow_id = ?
            AND version < """ + FlowVersion.DRAFTS_FROM + " ORDER BY version";
    private static final String SELECT_LATEST = """
            SELECT v.flow_id, v.version, v.document, v.created_at, v.published_by
            FROM flow_versions v JOIN flows f ON f.id = v.flow_id
            WHERE v.flow_id = ? AND f.deleted_at IS NULL AND v.version < """ + FlowVersion.DRAFTS_FROM
            + " ORDER BY v.version DESC LIMIT 1";

    private static final String SELECT_LIVE_VERSIONS = """
            SELECT v.flow_id, v.version, v.document, v.created_at, v.published_by
            FROM flow_versions v JOIN flows f ON f.id = v.flow_id WHERE f.deleted_at IS NULL AND v.version < """
            + FlowVersion.DRAFTS_FROM + " ORDER BY v.flow_id, v.version";

    private static final String SELECT_LATEST_NUMBER = """
            SELECT (SELECT MAX(v.version) FROM flow_versions v WHERE v.flow_id = f.id AND v.version < """
            + FlowVersion.DRAFTS_FROM + ") AS latest FROM flows f WHERE f.id = ? AND f.deleted_at IS NULL";
    /** The flow's newest draft snapshot: a test-run of an unchanged draft runs it again rather than adding one. */
    private static final String SELECT_LAST_SNAPSHOT = """
            SELECT flow_id, version, document, created_at, published_by FROM flow_versions WHERE flow_id = ?
            AND version >= """
            + FlowVersion.DRAFTS_FROM + " ORDER BY version DESC LIMIT 1";
    private static final String INSERT_SNAPSHOT = """
            INSERT INTO flow_versions (flow_id, version, document, created_at)
            SELECT ?, COALESCE(MAX(version), """ + (FlowVersion.DRAFTS_FROM - 1) + """
            ) + 1, ?, ? FROM flow_versions WHERE flow_id = ? AND version >= """ + FlowVersion.DRAFTS_FROM
            + " RETURNING version";

    /** How many flows' workspaces {@link #workspaceOf} keeps. */
    static final int WORKSPACES_KEPT = 100_000;

    private final Database database;
    private final Clock clock;
    private final java.util.Map<Long, Long> workspaces = new java.util.concurrent.ConcurrentHashMap<>();

    public JdbcFlowStore(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** A flow of the default workspace. */
    public FlowRecord create(String name, JsonNode document) {
        return create(name, document, Database.DEFAULT_WORKSPACE);
    }

    /** A new flow in workspace {@code workspaceId}. */
    public FlowRecord create(String name, JsonNode document, long workspaceId) {
        long now = clock.millis();
        long id = database.writer().run(tx -> Rows.one(tx, INSERT, row -> row.getLong(1), name, Json.write(document),
                now, now, workspaceId).orElseThrow());
        changed();
        return get(id).orElseThrow();
    }

    public Optional<FlowRecord> get(long id) {
        return Rows.one(database.readers(), SELECT_ONE, JdbcFlowStore::flow, id);
    }

    /** Every flow of every workspace (the server's own use: indexes, usage checks). */
    public List<FlowRecord> list() {
        return Rows.list(database.readers(), SELECT_ALL, JdbcFlowStore::flow);
    }

    /** The flows of one workspace. */
    public List<FlowRecord> list(long workspaceId) {
        return Rows.list(database.readers(), SELECT_WORKSPACE, JdbcFlowStore::flow, workspaceId);
    }

    /**
     * The workspace of flow {@code flowId} (deleted or not), empty when no flow ever had that id. A flow never
     * moves, so the answer is kept: the run path's workspace check costs a map read, not a query.
     */
    public java.util.OptionalLong workspaceOf(long flowId) {
        Long known = workspaces.get(flowId);
        if (known != null) return java.util.OptionalLong.of(known);
        Optional<Long> read = Rows.one(database.readers(), WORKSPACE_OF, row -> row.getLong(1), flowId);
        if (read.isEmpty()) return java.util.OptionalLong.empty();
        if (workspaces.size() >= WORKSPACES_KEPT) workspaces.clear();
        workspaces.put(flowId, read.get());
        return java.util.OptionalLong.of(read.get());
    }

    /** Replaces the draft; throws {@link NotFoundException} when the flow does not exist. */
    public FlowRecord updateDraft(long id, String name, JsonNode document) {
        int updated = database.writer().run(tx -> Rows.update(tx, UPDATE, name, Json.write(document), clock.millis(), id));
        if (updated == 0) throw new NotFoundException("flow " + id + " does not exist");
        return get(id).orElseThrow();
    }

    public void delete(long id) {
        int updated = database.writer().run(tx -> Rows.update(tx, DELETE, clock.millis(), id));
        changed();
        if (updated == 0) throw new NotFoundException("flow " + id + " does not exist");
    }

    /** Publishes {@code document} (the validated draft) as the flow's next version; its publisher unknown. */
    public FlowVersion publish(long id, JsonNode document) {
        return publish(id, document, null);
    }

    /** Publishes {@code document} (the validated draft) as the flow's next version, recording who published it. */
    public FlowVersion publish(long id, JsonNode document, String publishedBy) {
        long now = clock.millis();
        int version = database.writer().run(tx -> {
            if (Rows.one(tx, SELECT_ONE, row -> row.getLong(1), id).isEmpty()) {
                throw new NotFoundException("flow " + id + " does not exist");
            }
            return Rows.one(tx, INSERT_VERSION, row -> row.getInt(1), id, Json.write(document), now, publishedBy, id)
                    .orElseThrow();
        });
        changed();
        return new FlowVersion(id, version, document, Instant.ofEpochMilli(now), publishedBy);
    }

    /**
     * A snapshot of {@code document} (a validated draft, made ready to run) for a test-run's task: the flow's last
     * snapshot when it holds the same document, else a new one numbered from {@link FlowVersion#DRAFTS_FROM} up. It
     * is not a published version: the latest version, the version list and publishing's numbering never see it.
     */
    public FlowVersion snapshotDraft(long id, JsonNode document) {
        String text = Json.write(document);
        long now = clock.millis();
        return database.writer().run(tx -> {
            if (Rows.one(tx, SELECT_ONE, row -> row.getLong(1), id).isEmpty()) {
                throw new NotFoundException("flow " + id + " does not exist");
            }
            Optional<FlowVersion> last = Rows.one(tx, SELECT_LAST_SNAPSHOT, JdbcFlowStore::version, id);
            if (last.isPresent() && Json.write(last.get().document()).equals(text)) return last.get();
            int version = Rows.one(tx, INSERT_SNAPSHOT, row -> row.getInt(1), id, text, now, id).orElseThrow();
            return new FlowVersion(id, version, document, Instant.ofEpochMilli(now));
        });
    }

    /** A published version or a draft snapshot (a draft task's), by number. */
    public Optional<FlowVersion> version(long flowId, int version) {
        return Rows.one(database.readers(), SELECT_VERSION, JdbcFlowStore::version, flowId, version);
    }

    public Optional<FlowVersion> latestVersion(long flowId) {
        return Rows.one(database.readers(), SELECT_LATEST, JdbcFlowStore::version, flowId);
    }

    /**
     * For a flow that exists, its latest published version number (empty when only a draft exists); empty when the
     * flow does not exist. Exact: on a database other processes share it reads; on the embedded one, which only this
     * process writes, it reads only when the flows changed since the last read.
     */
    public Optional<Optional<Integer>> latestVersionNumber(long flowId) {
        if (database.dialect().shared()) return readLatestVersionNumber(flowId);
        return database.latestVersions().get(flowId, () -> readLatestVersionNumber(flowId));
    }

    /**
     * {@link #latestVersionNumber} as this process last read it, without a read when it has: on a shared database
     * another process may have published or deleted the flow since, so a task accepted with it must be marked
     * {@link NewTask#asLatest()} (the accept then checks it, and fails with {@link FlowChangedException} when it
     * is stale; call {@link #forgetLatest()} and read again). On the embedded database it is exact.
     */
    public Optional<Optional<Integer>> latestVersionGuess(long flowId) {
        return database.latestVersions().get(flowId, () -> readLatestVersionNumber(flowId));
    }

    /** Drops every kept latest version: another process changed a flow (an accept found a guess stale). */
    public void forgetLatest() {
        database.latestVersions().changed();
    }

    private Optional<Optional<Integer>> readLatestVersionNumber(long flowId) {
        return Rows.one(database.readers(), SELECT_LATEST_NUMBER, row -> {
            int latest = row.getInt(1);
            return row.wasNull() ? Optional.<Integer>empty() : Optional.of(latest);
        }, flowId);
    }

    private void changed() {
        database.latestVersions().changed();
    }

    /** Every published version of every flow not deleted (what a run may still pin), by flow and version. */
    public List<FlowVersion> liveVersions() {
        return Rows.list(database.readers(), SELECT_LIVE_VERSIONS, JdbcFlowStore::version);
    }

    public List<FlowVersion> versions(long flowId) {
        return Rows.list(database.readers(), SELECT_VERSIONS, JdbcFlowStore::version, flowId);
    }

    private static FlowRecord flow(ResultSet row) throws SQLException {
        int latest = row.getInt("latest_version");
        Integer latestVersion = row.wasNull() ? null : latest;
        return new FlowRecord(row.getLong("id"), row.getString("name"), Json.read(row.getString("document")),
                latestVersion, Instant.ofEpochMilli(row.getLong("created_at")),
                Instant.ofEpochMilli(row.getLong("updated_at")), row.getLong("workspace_id"));
    }

    private static FlowVersion version(ResultSet row) throws SQLException {
        return new FlowVersion(row.getLong("flow_id"), row.getInt("version"), Json.read(row.getString("document")),
                Instant.ofEpochMilli(row.getLong("created_at")), row.getString("published_by"));
    }
}
