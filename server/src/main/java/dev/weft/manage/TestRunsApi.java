package dev.weft.manage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.auth.Caller;
import dev.weft.auth.Callers;
import dev.weft.event.EventsApi;
import dev.weft.http.ApiException;
import dev.weft.http.Bodies;
import dev.weft.http.Queries;
import dev.weft.http.TaskJson;
import dev.weft.json.Json;
import dev.weft.run.DraftDocuments;
import dev.weft.run.Executions;
import dev.weft.run.TaskAnswers;
import dev.weft.store.Accepted;
import dev.weft.store.FlowRecord;
import dev.weft.store.FlowVersion;
import dev.weft.store.JdbcFlowStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.List;
import org.slf4j.MDC;

/**
 * Test-runs of a flow's draft (admin or a signed-in session; never a server key): {@code POST
 * /api/v1/flows/{flow_id}/test-runs} runs the draft as saved, without publishing it, as a task marked {@code draft}
 * that server keys never see; with {@code "node"} it runs that one node alone on the {@code "inputs"} given. Pinned
 * outputs in the draft stand in for their nodes. Answered like an execute: the task at once, after {@code ?wait=N},
 * or as its events with {@code ?stream=true}.
 */
public final class TestRunsApi {

    public static final String PATH = "/api/v1/flows/{flow_id}/test-runs";
    /** What a whole-draft test-run takes from its body, as execute does; anything else there is refused. */
    private static final List<String> RUN_FIELDS = List.of("start_node_id", "end_node_id", "result_node_id",
            "node_settings");

    private final JdbcFlowStore flows;
    private final DraftDocuments documents;
    private final Executions executions;
    private final Callers callers;
    private final TaskAnswers answers;
    private final EventsApi events;

    public TestRunsApi(JdbcFlowStore flows, DraftDocuments documents, Executions executions, Callers callers,
                       TaskAnswers answers, EventsApi events) {
        this.flows = flows;
        this.documents = documents;
        this.executions = executions;
        this.callers = callers;
        this.answers = answers;
        this.events = events;
    }

    public void register(RoutesConfig routes) {
        routes.post(PATH, this::run);
    }

    private void run(Context ctx) {
        Caller caller = callers.require(ctx, Callers.Scope.ADMIN);
        long flowId = Bodies.id(ctx, "flow_id", "flow");
        MDC.put("flow_id", String.valueOf(flowId));
        FlowRecord flow = flows.get(flowId).orElseThrow(() ->
                new ApiException(ApiException.Kind.NOT_FOUND, "flow_id", "flow " + flowId + " does not exist"));
        Duration wait = answers.waitParam(ctx);
        boolean stream = Queries.flag(ctx, "stream", false);
        ObjectNode body = Bodies.object(ctx, true);
        ObjectNode document;
        ObjectNode request = Json.object();
        JsonNode node = body.get("node");
        if (node != null && !node.isNull()) {
            if (!node.isTextual() || node.asText().isEmpty()) {
                throw new ApiException(ApiException.Kind.INVALID_INPUT, "node", "must be a node id (a non-empty string)");
            }
            JsonNode inputs = body.path("inputs");
            if (!inputs.isMissingNode() && !inputs.isNull() && !inputs.isObject()) {
                throw new ApiException(ApiException.Kind.INVALID_INPUT, "inputs",
                        "must be an object: the node's input fields (and, under a node's id, that node's outputs)");
            }
            only(body, List.of("node", "inputs"));
            document = documents.oneNode(flow.draft(), node.asText(), inputs.isObject() ? (ObjectNode) inputs : Json.object());
            request.put("start_node_id", DraftDocuments.ONE_START).put("end_node_id", DraftDocuments.ONE_END);
        } else {
            only(body, RUN_FIELDS);
            document = documents.whole(flow.draft());
            for (String field : RUN_FIELDS) if (body.has(field)) request.set(field, body.get(field));
        }
        FlowVersion snapshot = flows.snapshotDraft(flowId, document);
        Accepted accepted = executions.test(flowId, snapshot.version(), request, caller);
        if (stream) {
            events.streamAccepted(ctx, accepted.task(), TaskJson.task(accepted.task()));
            return;
        }
        answers.answer(ctx, accepted.task(), wait);
    }

    /** 400 naming the first field a test-run does not take (a typo, or execute's flow_version or callback_url). */
    private static void only(ObjectNode body, List<String> allowed) {
        body.fieldNames().forEachRemaining(field -> {
            if (!allowed.contains(field)) {
                throw new ApiException(ApiException.Kind.INVALID_INPUT, field, "a test-run takes only "
                        + String.join(", ", allowed) + " (it runs the draft, never a version, and calls no callback)");
            }
        });
    }
}
