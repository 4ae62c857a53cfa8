package dev.weft.manage;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.http.ApiException;
import dev.weft.http.Bodies;
import dev.weft.http.TaskJson;
import dev.weft.json.Json;
import dev.weft.store.FlowRecord;
import dev.weft.store.JdbcConversations;
import dev.weft.store.JdbcFlowStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * The management API for the agent's conversation memory: a flow's sessions, a session's messages (oldest first,
 * with the task and node that added each), and forgetting a session. Under {@code /api/v1/flows}, so it needs the
 * same admin scope as the other flow routes.
 */
public final class SessionsApi {

    /** The longest session id accepted (the agent node's {@code session_id} input has the same limit). */
    public static final int SESSION_ID_MAX = 200;

    private final JdbcFlowStore flows;
    private final JdbcConversations conversations;

    public SessionsApi(JdbcFlowStore flows, JdbcConversations conversations) {
        this.flows = flows;
        this.conversations = conversations;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/v1/flows/{flow_id}/sessions", this::list);
        routes.get("/api/v1/flows/{flow_id}/sessions/{session_id}/messages", this::messages);
        routes.delete("/api/v1/flows/{flow_id}/sessions/{session_id}", this::delete);
    }

    private void list(Context ctx) {
        FlowRecord flow = flow(ctx);
        ObjectNode json = Json.object().put("flow_id", flow.id());
        ArrayNode list = json.putArray("sessions");
        for (JdbcConversations.Session session : conversations.sessions(flow.id())) {
            ObjectNode item = list.addObject().put("session_id", session.sessionId())
                    .put("messages", session.messages()).put("tokens", session.tokens());
            TaskJson.time(item, "first_at", session.firstAt());
            TaskJson.time(item, "last_at", session.lastAt());
        }
        ctx.json(json);
    }

    private void messages(Context ctx) {
        FlowRecord flow = flow(ctx);
        String session = sessionId(ctx);
        ObjectNode json = Json.object().put("flow_id", flow.id()).put("session_id", session);
        ArrayNode list = json.putArray("messages");
        for (JdbcConversations.Message message : conversations.messages(flow.id(), session)) {
            ObjectNode item = list.addObject().put("seq", message.seq()).put("task_id", message.taskId())
                    .put("node_id", message.nodeId());
            item.set("message", message.message());
            item.put("tokens", message.tokens());
            TaskJson.time(item, "created_at", message.createdAt());
        }
        ctx.json(json);
    }

    private void delete(Context ctx) {
        FlowRecord flow = flow(ctx);
        String session = sessionId(ctx);
        if (conversations.delete(flow.id(), session) == 0) {
            throw new ApiException(ApiException.Kind.NOT_FOUND, "session_id",
                    "flow " + flow.id() + " has no session " + session);
        }
        ctx.status(204);
    }

    private FlowRecord flow(Context ctx) {
        long id = Bodies.id(ctx, "flow_id", "flow");
        return flows.get(id).orElseThrow(() ->
                new ApiException(ApiException.Kind.NOT_FOUND, "flow_id", "flow " + id + " does not exist"));
    }

    /** The path's session id: 1 to {@link #SESSION_ID_MAX} characters, no control characters. */
    static String sessionId(Context ctx) {
        String id = ctx.pathParam("session_id");
        String problem = problem(id);
        if (problem != null) throw new ApiException(ApiException.Kind.INVALID_INPUT, "session_id", problem);
        return id;
    }

    /** What is wrong with a session id, or null when it is fine. */
    public static String problem(String id) {
        if (id == null || id.isBlank()) return "session_id must not be empty";
        if (id.length() > SESSION_ID_MAX) {
            return "session_id is " + id.length() + " characters, over the limit of " + SESSION_ID_MAX;
        }
        if (id.chars().anyMatch(Character::isISOControl)) return "session_id must not contain control characters";
        return null;
    }
}
