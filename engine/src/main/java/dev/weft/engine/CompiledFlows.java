package dev.weft.engine;

import dev.weft.flow.Flow;
import dev.weft.flow.FlowNode;
import dev.weft.flow.InputField;
import dev.weft.node.Problems;
import dev.weft.registry.NodeRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one cache of compiled flows in a process: each published version, compiled once per choice of start, end and
 * result node, for whatever starts tasks of it (the intake checking a run, the worker running a claimed task,
 * sub-flow and map steps starting child tasks). A published version never changes, so an entry is never stale.
 */
public final class CompiledFlows {

    /** Where the parsed documents of published versions come from (throws when there is no such version). */
    public interface Versions {
        Flow version(long flowId, int version);
    }

    /** Which graph: a version of a flow, between a start and an end node, answering with the result node's values. */
    public record Key(long flowId, int version, String start, String end, String result) {}

    /**
     * A version compiled between its nodes, with what checking a run against it needs: the start node's input
     * fields, and the flow's nodes by id (a run may override settings of any of them).
     */
    public record Compiled(Flow flow, Graph graph, List<InputField> inputs, Map<String, FlowNode> nodes) {}

    private final Versions versions;
    private final NodeRegistry registry;
    private final Map<Key, Compiled> compiled = new ConcurrentHashMap<>();

    public CompiledFlows(Versions versions, NodeRegistry registry) {
        this.versions = versions;
        this.registry = registry;
    }

    /** The parsed document of a published version. */
    public Flow flow(long flowId, int version) {
        return versions.version(flowId, version);
    }

    /** The version compiled between these nodes; compile errors ({@code InvalidFlowException}) name the field. */
    public Compiled get(Key key) {
        Compiled found = compiled.get(key);
        if (found != null) return found;
        // not computeIfAbsent: compiling reads the database, which must not happen under the map's bin lock
        Flow flow = versions.version(key.flowId(), key.version());
        Graph graph = Graph.compile(flow, registry, key.start(), key.end(), key.result());
        Compiled made = new Compiled(flow, graph, InputField.readAll(graph.node(key.start()).settings()
                .path("inputs"), new Problems()), flow.nodesById());
        Compiled raced = compiled.putIfAbsent(key, made);
        return raced != null ? raced : made;
    }

    /** {@link #get}'s graph. */
    public Graph graph(Key key) {
        return get(key).graph();
    }
}
