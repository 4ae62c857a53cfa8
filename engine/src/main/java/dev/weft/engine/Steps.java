package dev.weft.engine;

import dev.weft.task.StepRecord;
import dev.weft.task.StepState;
import java.time.Instant;
import java.util.Collections;
import java.util.Comparator;
import java.util.NavigableSet;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A task's steps as the planner reads them: each node's {@link Step} (none yet for a node that has not started),
 * and what follows from them, kept up to date as each step changes so that a plan costs in proportion to what
 * changed rather than to the size of the flow: the nodes ready to plan (no step yet, every source finished), the
 * retries by due time, how many nodes have not finished, and the failed steps. Nodes are known by their place in
 * the graph's run order. Owned by one {@link TaskRun} (or a test) and guarded by it.
 */
final class Steps {

    /** A step waiting for its retry, ordered by when it is due (then by run order). */
    record Retry(Instant dueAt, int position) {}

    private static final Comparator<Retry> BY_DUE = Comparator.comparing(Retry::dueAt).thenComparingInt(Retry::position);

    private final Graph graph;
    private final Step[] steps;
    private final int[] unfinishedSources;
    private final TreeSet<Integer> ready = new TreeSet<>();
    private final TreeSet<Retry> retries = new TreeSet<>(BY_DUE);
    private final TreeSet<Integer> failed = new TreeSet<>();
    private int unfinished;

    Steps(Graph graph) {
        this.graph = graph;
        this.steps = new Step[graph.size()];
        this.unfinishedSources = new int[graph.size()];
        for (int position = 0; position < steps.length; position++) {
            unfinishedSources[position] = graph.sourceCount(position);
            if (unfinishedSources[position] == 0) ready.add(position);
        }
        this.unfinished = steps.length;
    }

    /** The step of node {@code id}; null when it has not started or does not run in this graph. */
    Step get(String id) {
        int position = graph.position(id);
        return position < 0 ? null : steps[position];
    }

    Step get(int position) {
        return steps[position];
    }

    /** Sets the step of node {@code id}, a node of the graph; a finished step stays finished. */
    void put(String id, Step step) {
        int position = graph.position(id);
        if (position < 0) throw new IllegalArgumentException("node '" + id + "' does not run in this graph");
        Step before = steps[position];
        if (before instanceof Step.Finished && !(step instanceof Step.Finished)) {
            throw new IllegalStateException("step '" + id + "' has finished: it cannot become " + step);
        }
        steps[position] = step;
        if (before == null) ready.remove(position);
        if (before instanceof Step.Waiting w) retries.remove(new Retry(w.dueAt(), position));
        if (before instanceof Step.Finished) failed.remove(position);
        if (step instanceof Step.Waiting w) retries.add(new Retry(w.dueAt(), position));
        if (!(step instanceof Step.Finished f)) return;
        if (f.state() == StepState.FAILED) failed.add(position);
        if (before instanceof Step.Finished) return;
        unfinished--;
        for (int target : graph.targets(position)) {
            if (--unfinishedSources[target] == 0 && steps[target] == null) ready.add(target);
        }
    }

    /** Nodes with no step yet whose sources have all finished, in run order. */
    SortedSet<Integer> ready() {
        return Collections.unmodifiableSortedSet(ready);
    }

    /** Steps waiting for a retry, the earliest due first. */
    NavigableSet<Retry> retries() {
        return Collections.unmodifiableNavigableSet(retries);
    }

    /** How many sources of the node at {@code position} have not finished. */
    int unfinishedSources(int position) {
        return unfinishedSources[position];
    }

    /** How many nodes of the graph have not finished. */
    int unfinished() {
        return unfinished;
    }

    /** The record of the first failed step in run order, or null when none failed. */
    StepRecord firstFailure() {
        return failed.isEmpty() ? null : ((Step.Finished) steps[failed.first()]).record();
    }
}
