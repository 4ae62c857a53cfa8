package dev.weft.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.json.Json;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The agent's conversation memory in the database: the messages of each session, per flow, oldest first. A step adds
 * its turn at most once (its earlier rows are replaced), and the session is then trimmed to its cap, oldest first,
 * in the same transaction. The API lists and deletes sessions with the flow's id.
 */
public final class JdbcConversations {

    /** The flow of the asking task scopes the session: one flow never sees another's. */
    private static final String LOAD = """
            SELECT message FROM conversation_messages
            WHERE flow_id = (SELECT flow_id FROM tasks WHERE id = ?) AND session_id = ? ORDER BY seq""";
    private static final String FLOW_OF_TASK = "SELECT flow_id FROM tasks WHERE id = ?";
    /** A step that runs again (after a crash or a retry) replaces its turn instead of adding it twice. */
    private static final String DELETE_STEP = "DELETE FROM conversation_messages WHERE task_id = ? AND node_id = ?";
    private static final String INSERT = """
            INSERT INTO conversation_messages (flow_id, session_id, task_id, node_id, message, tokens, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)""";
    private static final String NEWEST_FIRST = """
            SELECT seq, tokens FROM conversation_messages WHERE flow_id = ? AND session_id = ? ORDER BY seq DESC""";
    private static final String DROP_OLDER = """
            DELETE FROM conversation_messages WHERE flow_id = ? AND session_id = ? AND seq < ?""";
    private static final String SESSIONS = """
            SELECT session_id, COUNT(*) AS messages, SUM(tokens) AS tokens, MIN(created_at) AS first_at,
                   MAX(created_at) AS last_at
            FROM conversation_messages WHERE flow_id = ? GROUP BY session_id ORDER BY MAX(seq) DESC""";
    private static final String MESSAGES = """
            SELECT seq, task_id, node_id, message, tokens, created_at FROM conversation_messages
            WHERE flow_id = ? AND session_id = ? ORDER BY seq""";
    private static final String DELETE_SESSION = """
            DELETE FROM conversation_messages WHERE flow_id = ? AND session_id = ?""";

    /** A session as listed: how many messages and estimated tokens it keeps, and when it was first and last added to. */
    public record Session(String sessionId, int messages, long tokens, Instant firstAt, Instant lastAt) {}

    /** A kept message with the step that added it. */
    public record Message(long seq, long taskId, String nodeId, JsonNode message, int tokens, Instant createdAt) {}

    private final Database database;
    private final Clock clock;

    public JdbcConversations(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** The session's messages, oldest first, within the flow of task {@code taskId}; empty when there are none. */
    public List<JsonNode> load(long taskId, String sessionId) {
        return Rows.list(database.readers(), LOAD, row -> Json.read(row.getString(1)), taskId, sessionId);
    }

    /**
     * Adds the step's turn to the session (replacing what the same step added before) and keeps at most
     * {@code maxMessages} messages and about {@code maxTokens} tokens (0: no limit), dropping the oldest. One
     * transaction through the group commit.
     *
     * @throws NotFoundException when the task does not exist
     */
    public void append(long taskId, String nodeId, String sessionId, List<? extends JsonNode> messages,
                       int maxMessages, int maxTokens) {
        long now = clock.millis();
        // read first, so that a missing task fails this call alone and not the writer's batch
        long flowId = Rows.one(database.readers(), FLOW_OF_TASK, row -> row.getLong(1), taskId)
                .orElseThrow(() -> new NotFoundException("task " + taskId + " not found"));
        database.writer().run(tx -> {
            Rows.update(tx, DELETE_STEP, taskId, nodeId);
            for (JsonNode message : messages) {
                String text = Json.write(message);
                Rows.update(tx, INSERT, flowId, sessionId, taskId, nodeId, text, tokens(text), now);
            }
            if (maxMessages > 0 || maxTokens > 0) trim(tx, flowId, sessionId, maxMessages, maxTokens);
            return null;
        });
    }

    /** Drops the oldest messages past the cap: the newest are counted until one more would not fit. */
    private static void trim(Tx tx, long flowId, String sessionId, int maxMessages, int maxTokens)
            throws SQLException {
        List<long[]> newestFirst = Rows.list(tx, NEWEST_FIRST, row -> new long[] {row.getLong(1), row.getLong(2)},
                flowId, sessionId);
        long tokens = 0;
        for (int i = 0; i < newestFirst.size(); i++) {
            tokens += newestFirst.get(i)[1];
            boolean tooMany = maxMessages > 0 && i + 1 > maxMessages;
            boolean tooLong = maxTokens > 0 && tokens > maxTokens && i > 0;
            if (tooMany || tooLong) {
                Rows.update(tx, DROP_OLDER, flowId, sessionId, newestFirst.get(i - 1)[0]);
                return;
            }
        }
    }

    /** The flow's sessions, most recently added to first. */
    public List<Session> sessions(long flowId) {
        return Rows.list(database.readers(), SESSIONS, row -> new Session(row.getString("session_id"),
                row.getInt("messages"), row.getLong("tokens"), Instant.ofEpochMilli(row.getLong("first_at")),
                Instant.ofEpochMilli(row.getLong("last_at"))), flowId);
    }

    /** The session's messages with their provenance, oldest first; empty when the session has none. */
    public List<Message> messages(long flowId, String sessionId) {
        return Rows.list(database.readers(), MESSAGES, row -> new Message(row.getLong("seq"), row.getLong("task_id"),
                row.getString("node_id"), Json.read(row.getString("message")), row.getInt("tokens"),
                Instant.ofEpochMilli(row.getLong("created_at"))), flowId, sessionId);
    }

    /** Forgets the session; returns how many messages were deleted (0: it had none). */
    public int delete(long flowId, String sessionId) {
        return database.writer().run(tx -> Rows.update(tx, DELETE_SESSION, flowId, sessionId));
    }

    /** A message's size in tokens, estimated as one token per four characters of its JSON (at least one). */
    static int tokens(String json) {
        return Math.max(1, (json.length() + 3) / 4);
    }
}
