package dev.weft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.weft.engine.Engine;
import dev.weft.engine.Graph;
import dev.weft.engine.Limits;
import dev.weft.engine.ScheduledTimer;
import dev.weft.engine.TaskListener;
import dev.weft.engine.TaskRequest;
import dev.weft.flow.Flow;
import dev.weft.flow.FlowDocument;
import dev.weft.flow.FlowNode;
import dev.weft.flow.FlowValidator;
import dev.weft.flow.InputField;
import dev.weft.flow.InvalidFlowException;
import dev.weft.node.Problems;
import dev.weft.flow.ScadeImport;
import dev.weft.flow.ScadePlaceholderNode;
import dev.weft.json.Json;
import dev.weft.registry.NodeRegistry;
import dev.weft.flow.StartNode;
import dev.weft.builtin.BuiltinNodes;
import dev.weft.builtin.PythonRuntime;
import dev.weft.builtin.HttpNode;
import dev.weft.task.InMemoryJournal;
import dev.weft.task.TaskOutcome;
import dev.weft.task.TaskState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code weft run FILE --input name=Ada}: runs a flow file in this process, with no server and no database. */
@Command(name = "run", description = "Run a flow file locally and print the result as JSON.")
final class RunCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "The flow document (a Weft flow or a Scade export).")
    Path file;

    @Option(names = {"-i", "--input"}, description = "A start input as name=value (repeatable). Values of non-string"
            + " inputs are read as JSON.")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--allow-private-http", description = "Let http nodes call loopback and private addresses.")
    boolean allowPrivate;

    @Override
    public Integer call() throws Exception {
        try (PythonRuntime python = new PythonRuntime()) {   // its sandbox starts only if the flow has a python node
            return run(BuiltinNodes.registry(BuiltinNodes.Services.of(new HttpNode.Options(allowPrivate,
                    HttpNode.Options.DEFAULT.maxResponseBytes(), HttpNode.Options.DEFAULT.maxRedirects()))
                    .withPython(python)));
        }
    }

    private Integer run(NodeRegistry registry) throws Exception {
        JsonNode document = Json.MAPPER.readTree(Files.readString(file));
        FlowValidator validator = new FlowValidator(registry);
        Flow flow;
        try {
            if (ScadeImport.isScadeExport(document)) document = ScadeImport.convert(document, registry).document();
            document = FlowDocument.withNodeIds(document);
            flow = validator.check(document);
            // a placeholder would fail the run where it stands; say so before anything runs
            Problems placeholders = new Problems();
            ScadePlaceholderNode.problems(document, "running", placeholders);
            InvalidFlowException.throwIfAny(placeholders, "the flow has nodes that need replacing before it can run");
        } catch (InvalidFlowException e) {
            System.err.println(file + ": " + e.title());
            e.problems().forEach(p -> System.err.println("  " + p));
            return 2;
        }
        FlowNode start = single(flow, FlowNode.START, flow.defaultStart());
        FlowNode end = single(flow, FlowNode.END, flow.defaultEnd());
        ObjectNode data = inputData(start);
        Problems problems = new Problems();
        StartNode.checkRunData(start.settings(), data, problems.at("input"));
        if (!problems.isEmpty()) {
            problems.list().forEach(p -> System.err.println(p));
            return 2;
        }
        ObjectNode override = Json.object();
        // as the run API does: "5" given for a number input reaches the flow as 5
        override.set("data", StartNode.coerce(InputField.readAll(start.settings().path("inputs"), new Problems()), data));
        Clock clock = Clock.systemUTC();
        InMemoryJournal journal = new InMemoryJournal();
        ExecutorService pool = Executors.newCachedThreadPool();
        try (ScheduledTimer timer = new ScheduledTimer(clock)) {
            Engine engine = new Engine(new Engine.Parts(journal, pool, pool, timer, clock, Limits.DEFAULT, TaskListener.NONE));
            Graph graph = Graph.compile(flow, registry, start.id(), end.id(), end.id());
            TaskOutcome outcome = engine.start(new TaskRequest(1, graph, Map.of(start.id(), override), List.of())).get();
            if (outcome.state() == TaskState.COMPLETED) {
                System.out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(outcome.result()));
                return 0;
            }
            System.err.println("the flow " + outcome.state().word() + ": " + Json.write(outcome.error()));
            return 1;
        } finally {
            pool.shutdownNow();
        }
    }

    private static FlowNode single(Flow flow, String type, String preferred) {
        if (preferred != null) return flow.node(preferred).orElseThrow();
        List<FlowNode> nodes = flow.nodesOfType(type);
        if (nodes.size() != 1) {
            throw new IllegalArgumentException("the flow has " + nodes.size() + " " + type + " nodes; set default_"
                    + type + "_node_id in the document");
        }
        return nodes.get(0);
    }

    private ObjectNode inputData(FlowNode start) {
        List<InputField> fields = InputField.readAll(start.settings().path("inputs"), new Problems());
        ObjectNode data = Json.object();
        for (String input : inputs) {
            int eq = input.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("--input takes name=value (got '" + input + "')");
            String name = input.substring(0, eq);
            String raw = input.substring(eq + 1);
            boolean text = fields.stream().anyMatch(f -> f.name().equals(name) && f.type().equals("string"));
            data.set(name, text ? TextNode.valueOf(raw) : parse(raw));
        }
        return data;
    }

    private static JsonNode parse(String raw) {
        try {
            return Json.MAPPER.readTree(raw);
        } catch (Exception e) {
            return TextNode.valueOf(raw);
        }
    }
}
