package dev.weft.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.flow.FlowValidator;
import dev.weft.flow.InputField;
import dev.weft.flow.InvalidFlowException;
import dev.weft.node.NodeCall;
import dev.weft.node.NodeException;
import dev.weft.node.NodeOutput;
import dev.weft.node.NodeType;
import dev.weft.node.Problem;
import dev.weft.node.Problems;
import dev.weft.node.Run;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The {@code map} node: runs a sub-flow once per item of a list, at most {@code concurrency} at a time, and emits
 * {@code results} in the items' order (and {@code failed}, how many items failed). The sub-flow is a published
 * flow ({@code flow_id}, {@code version}) or an inline document ({@code flow}); its start input {@code item_field}
 * receives the item, and an input named {@code index} the item's position. Items run in memory: none is a task of
 * its own and only the map step is recorded, so a map over thousands of items costs one step record. With
 * {@code on_item_error: fail} the first failed item fails the step (the others are cancelled); with
 * {@code collect} a failed item's result is {@code {"error": {type, message, node_id}}}.
 */
public final class MapNode implements NodeType {

    public static final String TYPE = "map";
    /** An item could not be started, or failed outside its own run. */
    public static final String ERROR = "map_error";
    public static final int CONCURRENCY_DEFAULT = 8;
    /** The longest list a map step takes: its results must fit in one step's output anyway. */
    public static final int ITEMS_MAX = 100_000;
    public static final String ITEM_FIELD_DEFAULT = "item";
    /** The start input that receives an item's position, when the sub-flow declares it. */
    public static final String INDEX_FIELD = "index";

    private final FlowRuns runs;

    public MapNode(FlowRuns runs) {
        this.runs = runs;
    }

    @Override
    public String id() {
        return TYPE;
    }

    @Override
    public Run run() {
        return Run.async(this::runAsync);
    }

    @Override
    public void check(ObjectNode settings, Problems problems) {
        boolean published = settings.hasNonNull("flow_id");
        boolean inline = settings.hasNonNull("flow");
        if (published == inline) {
            problems.add(published ? "flow" : "flow_id", published ? "give either flow_id or flow, not both"
                    : "is required (or give an inline flow)");
        }
        if (inline && settings.get("flow").isObject()) checkInline(settings, problems);
    }

    private void checkInline(ObjectNode settings, Problems problems) {
        try {
            new FlowValidator(runs.registry()).check(settings.get("flow"));
        } catch (InvalidFlowException e) {
            for (Problem p : e.problems()) problems.at("flow").add(p.field(), p.message());
            return;
        }
        try {
            FlowRuns.CompiledFlow flow = runs.inline(settings.get("flow"), text(settings, "start_node_id"),
                    text(settings, "end_node_id"));
            String itemField = itemField(settings);
            if (!inputs(flow).contains(itemField)) {
                problems.add("item_field", "the inline flow's start node has no input '" + itemField + "' (inputs: "
                        + String.join(", ", inputs(flow)) + ")");
            }
        } catch (NodeException e) {
            problems.add("flow", e.getMessage().replaceFirst("^settings\\.[a-z_]+: ", ""));
        }
    }

    public CompletionStage<NodeOutput> runAsync(NodeCall call) {
        ObjectNode settings = call.settings();
        Problems problems = new Problems();
        if (settings.hasNonNull("flow_id") == settings.hasNonNull("flow")) {
            problems.add("flow_id", "give either flow_id or an inline flow");
        }
        Settings.throwIfAny(problems);
        JsonNode items = settings.has("items") ? settings.get("items") : call.inputs().get("items");
        if (items == null || !items.isArray()) {
            throw Settings.invalid("items", "must be a list (got " + Settings.describe(items) + "): set items, or map"
                    + " a list to the input field items");
        }
        if (items.size() > ITEMS_MAX) {
            throw Settings.invalid("items", "has " + items.size() + " items, over the limit of " + ITEMS_MAX);
        }
        CompletableFuture<NodeOutput> answer = new CompletableFuture<>();
        runs.setUp(answer, () -> {
            CompletableFuture<NodeOutput> mapped = mapping(call, (ArrayNode) items).start();
            answer.whenComplete((output, failure) -> {
                if (answer.isCancelled()) mapped.cancel(true);   // the step timed out, or its task was cancelled
            });
            mapped.whenComplete((output, failure) -> {
                if (failure != null) answer.completeExceptionally(failure);
                else answer.complete(output);
            });
        });
        return answer;
    }

    /** Checks the depth, finds (or compiles) the sub-flow and checks it takes the items: on the node pool. */
    private Mapping mapping(NodeCall call, ArrayNode items) {
        ObjectNode settings = call.settings();
        int depth = runs.childDepth(call.taskId());
        FlowRuns.CompiledFlow flow = settings.hasNonNull("flow")
                ? runs.inline(settings.get("flow"), text(settings, "start_node_id"), text(settings, "end_node_id"))
                : runs.published(settings.get("flow_id").asLong(), version(settings), text(settings, "start_node_id"),
                text(settings, "end_node_id"));
        String itemField = itemField(settings);
        List<String> inputs = inputs(flow);
        if (!inputs.contains(itemField)) {
            throw Settings.invalid("item_field", "the sub-flow's start node has no input '" + itemField
                    + "' (inputs: " + String.join(", ", inputs) + ")");
        }
        int concurrency = settings.path("concurrency").asInt(CONCURRENCY_DEFAULT);
        boolean collect = "collect".equals(settings.path("on_item_error").asText("fail"));
        return new Mapping(runs, flow.graph(), items, itemField, inputs.contains(INDEX_FIELD), concurrency, collect,
                runs.durableTask(call.taskId()), depth);
    }

    private static List<String> inputs(FlowRuns.CompiledFlow flow) {
        return InputField.readAll(flow.graph().node(flow.graph().start()).settings().path("inputs"), new Problems())
                .stream().map(InputField::name).toList();
    }

    private static String itemField(ObjectNode settings) {
        String field = text(settings, "item_field");
        return field == null ? ITEM_FIELD_DEFAULT : field;
    }

    private static Integer version(ObjectNode settings) {
        JsonNode version = settings.get("version");
        return version == null || !version.isIntegralNumber() ? null : version.asInt();
    }

    private static String text(ObjectNode settings, String field) {
        JsonNode value = settings.get(field);
        return value == null || value.isNull() || value.asText().isEmpty() ? null : value.asText();
    }

    public NodeOutput run(NodeCall call) throws Exception {
        return Async.await(runAsync(call));
    }
}
