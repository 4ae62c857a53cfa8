package dev.weft.builtin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The {@code agent} node's memory: the messages of a conversation ({@code session_id}), kept across tasks so a chat
 * continues. The server keeps them in its database, scoped to the task's flow (one flow's sessions are not
 * another's); {@link #NONE} keeps nothing.
 *
 * <p>Messages are in the agent's neutral form (see {@code AgentNode}): objects with {@code role} ({@code user},
 * {@code assistant}, {@code tool}), {@code content}, and for tool use {@code tool_calls} / {@code tool_call_id}.
 */
public interface Conversations {

    /** No memory: sessions are always empty, and appends are dropped. */
    Conversations NONE = new Conversations() {
        @Override
        public List<ObjectNode> load(long taskId, String sessionId) {
            return List.of();
        }

        @Override
        public void append(long taskId, String nodeId, String sessionId, List<ObjectNode> messages, Cap cap) {}
    };

    /**
     * How much of a session is kept: at most {@code maxMessages} messages and about {@code maxTokens} tokens
     * (0: no limit), the oldest dropped first.
     *
     * @param maxMessages the most messages kept, or 0
     * @param maxTokens   the most tokens kept (estimated), or 0
     */
    record Cap(int maxMessages, int maxTokens) {}

    /**
     * The session's messages, oldest first, within the flow of the task {@code taskId}.
     *
     * @param taskId    the task asking (its flow scopes the session)
     * @param sessionId the session, as the caller named it
     * @return the messages kept
     */
    List<ObjectNode> load(long taskId, String sessionId);

    /**
     * Adds one turn's messages to the session and drops the oldest past {@code cap}. Idempotent per
     * ({@code taskId}, {@code nodeId}): a step that runs again after a crash does not add its turn twice.
     *
     * @param taskId    the task whose step adds them
     * @param nodeId    the step's node
     * @param sessionId the session
     * @param messages  the new messages, oldest first
     * @param cap       how much of the session to keep
     */
    void append(long taskId, String nodeId, String sessionId, List<ObjectNode> messages, Cap cap);
}
