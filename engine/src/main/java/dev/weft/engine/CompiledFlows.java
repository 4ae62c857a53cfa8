package dev.weft.engine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.weft.flow.Flow;
import dev.weft.flow.FlowNode;
import dev.weft.flow.InputField;
import dev.weft.node.Problems;
import dev.weft.registry.NodeRegistry;
import java.util.List;
import java.util.Map;

/**
 * The one cache of compiled flows in a process: each published version, compiled once per choice of start, end and
 * result node, for whatever starts tasks of it (the intake checking a run, the worker running a claimed task,
 * sub-flow and map steps starting child tasks). A version (a draft's too) never changes, so an entry is never stale;
 * the cache is bounded (least used first out), so a long-lived process that saw many versions and test-run drafts keeps
 * only the ones in use, and an evicted one is compiled again when next asked for.
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

    /** How many compiled graphs a process keeps by default. */
    public static final int MAX_ENTRIES = 2_048;

    private final Versions versions;
    private final NodeRegistry registry;
    private final Cache<Key, Compiled> compiled;

    public CompiledFlows(Versions versions, NodeRegistry registry) {
        this(versions, registry, MAX_ENTRIES);
    }

    /** A cache keeping at most {@code maxEntries} compiled graphs. */
    public CompiledFlows(Versions versions, NodeRegistry registry, int maxEntries) {
        this.versions = versions;
        this.registry = registry;
        // maintenance on the calling thread: no task in the common pool, whose threads the server keeps for others
        this.compiled = Caffeine.newBuilder().maximumSize(maxEntries).executor(Runnable::run).build();
    }

    /** How many compiled graphs are kept now. */
    public long size() {
        compiled.cleanUp();
        return compiled.estimatedSize();
    }

    /** The parsed document of a published version. */
    public Flow flow(long flowId, int version) {
        return versions.version(flowId, version);
    }

    /** The version compiled between these nodes; compile errors ({@code InvalidFlowException}) name the field. */
    public Compiled get(Key key) {
        Compiled found = compiled.getIfPresent(key);
        if (found != null) return found;
        // not get(key, compile): compiling reads the database, which must not happen under the map's bin lock
        Flow flow = versions.version(key.flowId(), key.version());
        Graph graph = Graph.compile(flow, registry, key.start(), key.end(), key.result());
        Compiled made = new Compiled(flow, graph, InputField.readAll(graph.node(key.start()).settings()
                .path("inputs"), new Problems()), flow.nodesById());
        Compiled raced = compiled.asMap().putIfAbsent(key, made);
        return raced != null ? raced : made;
    }

    /** {@link #get}'s graph. */
    public Graph graph(Key key) {
        return get(key).graph();
    }
}
