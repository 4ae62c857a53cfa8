package dev.weft.node;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.flow.Problems;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * A kind of node (its {@code type} in a flow document): validates its settings and runs one step.
 *
 * <p>Adding a node type is one small class implementing this interface, registered in a {@link NodeRegistry}.
 * {@link #run} is called once per attempt on a worker thread; it may block (an HTTP call) and must answer
 * {@link Thread#interrupt()} promptly, since timeouts and cancellation interrupt it. A node that mostly waits (a
 * delay, a child flow) is {@link #async()} instead: the engine calls {@link #runAsync} and holds no thread until
 * the answer comes.
 */
public interface NodeType {

    /** The port every processing node emits on when it succeeds. */
    String SUCCESS = "success";
    /** The port a node emits on when it fails and its {@code on_error} policy is {@code continue}. */
    String ERROR = "error";

    /** Short stable lowercase id, as written in flow documents: {@code template}, {@code http}. */
    String type();

    /** Output ports; the first is the default one an edge's {@code from_field} refers to. */
    default List<String> ports() {
        return List.of(SUCCESS);
    }

    /**
     * The output ports of a node with these settings (a {@code switch} has a port per case); the default is
     * {@link #ports()}. The engine and the flow validator ask this one.
     */
    default List<String> ports(ObjectNode settings) {
        return ports();
    }

    /**
     * The fields this node's default port emits, when they are known from its settings alone; edges mapping
     * other fields are refused. Empty means any field may be mapped (the data passes through).
     */
    default Optional<List<String>> outputFields(ObjectNode settings) {
        return Optional.empty();
    }

    /**
     * Whether a step needs a value for each of its mapped input fields to run (true), or runs when any one
     * arrived (false: the end node, which gathers alternative branches). A field counts as arrived when one of
     * the edges into it comes from a node that ran and emitted on the mapped port.
     */
    default boolean needsEveryInput() {
        return true;
    }

    /**
     * {@link #needsEveryInput()} for a node with these settings (a {@code merge} set to wait for the first branch
     * runs when any arrived); the default ignores the settings. The planner asks this one.
     */
    default boolean needsEveryInput(ObjectNode settings) {
        return needsEveryInput();
    }

    /**
     * Whether the node computes its output from its inputs and settings alone, quickly and without side effects
     * (a template, a transform, a condition). A pure step runs on the engine's own thread, without a pool hand-off
     * or a timeout timer, and its dependents start without waiting for its record to be committed: re-running it
     * after a crash changes nothing outside Weft. Steps of other nodes are durable before their dependents start.
     */
    default boolean pure() {
        return false;
    }

    /**
     * Settings passed to {@link #run} as saved, without rendering {@code {{ }}} references (and not checked as
     * templates): for settings in a language of their own, such as a JSONata expression.
     */
    default Set<String> rawSettings() {
        return Set.of();
    }

    /**
     * Settings a run may not replace through {@code node_settings} unless the flow's author opened them on the
     * node ({@code "overridable"}): the ones that run code or choose where data and credentials go.
     */
    default Set<String> lockedSettings() {
        return Set.of();
    }

    /**
     * How the node presents itself in the catalogue: title, category, description, settings schema, fields.
     * The default shows the type id and accepts any settings object.
     */
    default NodeDescription describe() {
        return NodeDescription.minimal(type());
    }

    /**
     * Checks the node's settings, adding each problem with a path relative to the settings object
     * ({@code url}, {@code headers.Accept}). Template references are checked by the flow validator, not here.
     */
    default void validate(ObjectNode settings, Problems problems) {}

    /** Runs one attempt. Throwing fails the attempt; {@link NodeException} carries a stable error type. */
    NodeOutput run(NodeCall call) throws Exception;

    /**
     * Whether the engine runs this node through {@link #runAsync} (no node thread is held while the attempt
     * waits) rather than {@link #run} on the node pool.
     */
    default boolean async() {
        return false;
    }

    /**
     * Starts one attempt and answers later, for an {@link #async()} node. Called on an engine thread: it must
     * return at once. A failed stage fails the attempt like a throw from {@link #run}. When the step times out or
     * its task is cancelled, the engine cancels the returned stage's {@code toCompletableFuture()}: the node
     * listens for that and stops its work (a timer, a child task).
     */
    default CompletionStage<NodeOutput> runAsync(NodeCall call) {
        throw new UnsupportedOperationException("node type " + type() + " does not run asynchronously");
    }
}
