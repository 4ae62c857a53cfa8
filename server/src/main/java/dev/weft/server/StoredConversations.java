package dev.weft.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.builtin.Conversations;
import dev.weft.manage.SessionsApi;
import dev.weft.node.NodeException;
import dev.weft.store.JdbcConversations;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent node's conversation memory over the server's database ({@link JdbcConversations}): sessions scoped by
 * the task's flow, a step's turn added once, capped oldest first. A session id the API could not name (empty, too
 * long) is refused as a step error naming {@code session_id}.
 */
final class StoredConversations implements Conversations {

    private final JdbcConversations store;

    StoredConversations(JdbcConversations store) {
        this.store = store;
    }

    @Override
    public List<ObjectNode> load(long taskId, String sessionId) {
        check(sessionId);
        List<JsonNode> kept = store.load(taskId, sessionId);
        List<ObjectNode> messages = new ArrayList<>(kept.size());
        for (JsonNode message : kept) {
            if (message instanceof ObjectNode object) messages.add(object);
        }
        return messages;
    }

    @Override
    public void append(long taskId, String nodeId, String sessionId, List<ObjectNode> messages, Cap cap) {
        check(sessionId);
        store.append(taskId, nodeId, sessionId, messages, cap.maxMessages(), cap.maxTokens());
    }

    private static void check(String sessionId) {
        String problem = SessionsApi.problem(sessionId);
        if (problem != null) throw new NodeException("invalid_session_id", problem, false);
    }
}
