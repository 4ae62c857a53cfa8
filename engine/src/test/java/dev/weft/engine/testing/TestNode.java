package dev.weft.engine.testing;

import dev.weft.node.Catalogue;
import dev.weft.node.NodeCall;
import dev.weft.node.NodeOutput;
import dev.weft.node.NodeType;
import dev.weft.node.Run;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A node type for tests that keeps every call it got, so tests can count and inspect them. */
public abstract class TestNode implements NodeType {

    private final String type;
    private final List<NodeCall> calls = new CopyOnWriteArrayList<>();
    private volatile boolean pure;

    protected TestNode(String type) {
        this.type = type;
    }

    @Override
    public final String id() {
        return type;
    }

    /** Test types have no catalogue resource: their id, any settings. */
    @Override
    public Catalogue catalogue() {
        return Catalogue.minimal(type);
    }

    @Override
    public final Run run() {
        return pure ? Run.pure(this::run) : Run.blocking(this::run);
    }

    /** Runs one attempt, keeping the call. */
    public final NodeOutput run(NodeCall call) throws Exception {
        calls.add(call);
        return answer(call);
    }

    /** Declares the type pure (see {@link Run.Pure}): the engine runs it on the calling thread. */
    public TestNode asPure() {
        this.pure = true;
        return this;
    }

    /** What one attempt does. */
    protected abstract NodeOutput answer(NodeCall call) throws Exception;

    /** Every call so far, in the order they started. */
    public List<NodeCall> calls() {
        return List.copyOf(calls);
    }

    public int callCount() {
        return calls.size();
    }

    /** How many times the node with this id was called. */
    public int callCount(String nodeId) {
        return (int) calls.stream().filter(c -> c.nodeId().equals(nodeId)).count();
    }
}
