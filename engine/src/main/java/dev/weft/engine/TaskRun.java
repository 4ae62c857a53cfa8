package dev.weft.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.registry.RegisteredType;
import dev.weft.flow.FlowNode;
import dev.weft.flow.NodePolicy;
import dev.weft.flow.OnError;
import dev.weft.json.Json;
import dev.weft.concurrent.Causes;
import dev.weft.node.Deltas;
import dev.weft.node.NodeCall;
import dev.weft.node.NodeException;
import dev.weft.node.NodeOutput;
import dev.weft.node.NodeType;
import dev.weft.task.Attempt;
import dev.weft.task.ErrorTypes;
import dev.weft.task.StepEntry;
import dev.weft.task.StepRecord;
import dev.weft.task.StepState;
import dev.weft.task.TaskError;
import dev.weft.task.TaskOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Future;

/**
 * One task in flight: applies {@link Planner}'s plans. It starts steps on the node pool, records each finished
 * step through the journal before dependent steps that reach outside the process may start, schedules retries and
 * timeouts on the timer, and completes {@link #outcome()} once the task's end is recorded. All state is guarded by
 * {@code this}.
 */
final class TaskRun {

    private final Engine engine;
    private final TaskRequest request;
    private final Graph graph;
    private final Steps steps;
    private final Map<String, List<Attempt>> attempts = new HashMap<>();
    private final Map<String, ObjectNode> stepInputs = new HashMap<>();
    /** Each launched step's settings after templating, as the step record keeps them (bounded, see StepRecord). */
    private final Map<String, ObjectNode> stepSettings = new HashMap<>();
    private final Map<String, Instant> firstStarted = new HashMap<>();
    private final Map<String, AttemptHandle> inFlight = new HashMap<>();
    /** Each started step's journal, kept across its retries; made on first launch (a step that never runs has none). */
    private final Map<String, StepJournal> journals = new HashMap<>();
    /** The entries earlier processes recorded, by node, until the node's journal is made. */
    private final Map<String, List<StepEntry>> earlierEntries = new HashMap<>();
    private final CompletableFuture<TaskOutcome> outcome = new CompletableFuture<>();
    /** The task's last finished steps, recorded with its outcome (see {@link #record}); empty before its end nears. */
    private final List<StepRecord> lastSteps = new ArrayList<>();
    /** Records written and not yet committed of steps after which a node that is not pure may run. */
    private int awaitingImpure;
    private Runnable wake;
    private Instant wakeAt;
    private boolean ending;
    private boolean advancing;
    private boolean again;

    TaskRun(Engine engine, TaskRequest request) {
        this.engine = engine;
        this.request = request;
        this.graph = request.graph();
        this.steps = new Steps(graph);
        for (StepRecord record : request.recorded()) {
            if (graph.node(record.nodeId()) != null) steps.put(record.nodeId(), new Step.Finished(record));
        }
        for (StepEntry entry : request.entries()) {
            earlierEntries.computeIfAbsent(entry.nodeId(), k -> new ArrayList<>()).add(entry);
        }
    }

    CompletableFuture<TaskOutcome> outcome() {
        return outcome;
    }

    long taskId() {
        return request.taskId();
    }

    /**
     * Plans and applies the plan. A step can end while the plan is being applied (its node answered on the calling
     * thread, or its settings could not be rendered); the nested call then only asks for another round, so that
     * no step of the plan being applied is started twice.
     */
    synchronized void advance() {
        if (advancing) {
            again = true;
            return;
        }
        advancing = true;
        try {
            do {
                again = false;
                applyNextPlan();
            } while (again && !ending);
        } finally {
            advancing = false;
        }
    }

    private void applyNextPlan() {
        if (ending) return;
        Instant now = engine.clock().instant();
        Plan plan = Planner.next(graph, steps, now);
        for (String id : plan.skip()) {
            StepRecord skipped = StepRecord.skipped(id, graph.node(id).type(), now);
            steps.put(id, new Step.Finished(skipped));
            engine.journal().stepFinished(request.taskId(), skipped);
            engine.listener().stepFinished(request.taskId(), skipped);
        }
        if (plan.outcome() != null) {
            end(plan.outcome());
            return;
        }
        for (String id : plan.start()) {
            if (ending) return;   // a step of this plan ended the task (its record failed)
            launch(id, now);
        }
        if (plan.wakeAt() != null && !plan.wakeAt().equals(wakeAt)) {
            if (wake != null) wake.run();
            wakeAt = plan.wakeAt();
            wake = engine.timer().schedule(wakeAt, () -> engine.control().execute(this::wakeUp));
        }
    }

    private synchronized void wakeUp() {
        wake = null;
        wakeAt = null;
        advance();
    }

    /** Ends the task as cancelled: running attempts are interrupted and nothing more starts. */
    synchronized void cancel() {
        if (!ending) end(TaskOutcome.cancelled());
    }

    private void launch(String id, Instant now) {
        FlowNode node = graph.node(id);
        RegisteredType type = graph.nodeType(id);
        if (!type.pure() && !lastSteps.isEmpty()) writeLastSteps();   // never expected: see record
        int attempt = steps.get(id) instanceof Step.Waiting w ? w.nextAttempt() : 1;
        steps.put(id, new Step.Running(attempt, now));
        firstStarted.putIfAbsent(id, now);
        NodeCall call;
        try {
            ObjectNode inputs = Inputs.gather(graph, id, steps);
            stepInputs.put(id, inputs);
            ObjectNode settings = Inputs.settings(graph, node, request.nodeSettings().get(id), inputs, steps);
            // start and end take their settings as saved; the intake checked the run's inputs against start's
            if (!node.isStart() && !node.isEnd()) {
                settings = type.rendered(settings);
                stepSettings.put(id, kept(settings));
            }
            call = new NodeCall(request.taskId(), id, settings, inputs, attempt, node.policy().timeout(),
                    journal(id), Deltas.NONE);
        } catch (RuntimeException e) {
            AttemptHandle handle = new AttemptHandle(id, attempt, now);
            inFlight.put(id, handle);
            attemptEnded(handle, null, new NodeException(ErrorTypes.SETTINGS, e.getMessage(), false));
            return;
        }
        engine.listener().stepStarted(request.taskId(), id, attempt, now);
        AttemptHandle handle = new AttemptHandle(id, attempt, now);
        inFlight.put(id, handle);
        if (type.pure()) {
            runHere(handle, type, call);
            return;
        }
        handle.timeout = engine.timer().schedule(now.plus(node.policy().timeout()), () -> engine.control().execute(
                () -> attemptEnded(handle, null, new NodeException(ErrorTypes.TIMEOUT,
                        "no answer within " + node.policy().timeout().toMillis() + " ms (timeout_ms)"))));
        NodeCall live = withDeltas(call);
        if (type.async()) {
            startAsync(handle, type, live);
            return;
        }
        try {
            handle.future = engine.nodes().submit(() -> runHere(handle, type, live));
        } catch (RejectedExecutionException e) {
            attemptEnded(handle, null, new NodeException(ErrorTypes.UNAVAILABLE, "the node pool is shut down", true));
        }
    }

    private StepJournal journal(String id) {
        return journals.computeIfAbsent(id, k -> new StepJournal(engine.journal(), engine.clock(), engine.nodes(),
                request.taskId(), k, earlierEntries.getOrDefault(k, List.of())));
    }

    private void runHere(AttemptHandle handle, RegisteredType type, NodeCall call) {
        NodeOutput output;
        try {
            output = type.run(call);
        } catch (Throwable t) {
            attemptEnded(handle, null, t);
            return;
        }
        attemptEnded(handle, output, null);
    }

    /**
     * Starts an asynchronous attempt: no thread waits for it. Its answer comes back through the control executor;
     * stopping the handle (timeout, cancel) cancels the node's future, which the node hears.
     */
    private void startAsync(AttemptHandle handle, RegisteredType type, NodeCall call) {
        CompletableFuture<NodeOutput> answer;
        try {
            answer = type.runAsync(call).toCompletableFuture();
        } catch (Throwable t) {
            attemptEnded(handle, null, t);
            return;
        }
        handle.future = answer;
        answer.whenComplete((output, failure) -> engine.control().execute(() ->
                attemptEnded(handle, failure == null ? output : null, Causes.unwrap(failure))));
    }

    /** One attempt in flight: its answer counts only while it is the node's current attempt. */
    private static final class AttemptHandle {
        final String nodeId;
        final int attempt;
        final Instant startedAt;
        volatile Future<?> future;
        volatile Runnable timeout;

        AttemptHandle(String nodeId, int attempt, Instant startedAt) {
            this.nodeId = nodeId;
            this.attempt = attempt;
            this.startedAt = startedAt;
        }

        void stop(boolean interrupt) {
            Runnable t = timeout;
            if (t != null) t.run();
            Future<?> f = future;
            if (interrupt && f != null) f.cancel(true);
        }
    }

    private synchronized void attemptEnded(AttemptHandle handle, NodeOutput output, Throwable failure) {
        String id = handle.nodeId;
        if (ending || inFlight.get(id) != handle) return;   // a late answer after a timeout, or the task ended
        inFlight.remove(id);
        handle.stop(failure instanceof NodeException ne && ErrorTypes.TIMEOUT.equals(ne.type()));
        int attempt = handle.attempt;
        Instant now = engine.clock().instant();
        FlowNode node = graph.node(id);
        if (failure == null) failure = checkOutput(id, output);
        if (failure == null) {
            addAttempt(id, attempt, handle.startedAt, now, null);
            record(new StepRecord(id, node.type(), StepState.DONE, output.port(), stepInputs.get(id), output.data(), null,
                    attempts.get(id), firstStarted.get(id), now, stepSettings.get(id)));
            return;
        }
        TaskError error = errorOf(id, failure);
        addAttempt(id, attempt, handle.startedAt, now, error);
        NodePolicy policy = node.policy();
        boolean retryable = !(failure instanceof NodeException ne) || ne.retryable();
        if (retryable && attempt < policy.maxAttempts()) {
            steps.put(id, new Step.Waiting(attempt + 1, now.plus(policy.backoffBefore(attempt + 1))));
            advance();
        } else if (policy.onError() == OnError.CONTINUE) {
            ObjectNode data = Json.object().put("type", error.type()).put("message", error.message()).put("node_id", id);
            record(new StepRecord(id, node.type(), StepState.DONE, NodeType.ERROR, stepInputs.get(id), data, error,
                    attempts.get(id), firstStarted.get(id), now, stepSettings.get(id)));
        } else {
            record(new StepRecord(id, node.type(), StepState.FAILED, null, stepInputs.get(id), null, error,
                    attempts.get(id), firstStarted.get(id), now, stepSettings.get(id)));
        }
    }

    private Throwable checkOutput(String id, NodeOutput output) {
        if (output == null || output.port() == null || output.data() == null) {
            return new IllegalStateException("node type " + graph.node(id).type() + " returned no output");
        }
        List<String> ports = graph.nodeType(id).ports(graph.node(id).settings());
        boolean known = ports.isEmpty() ? NodeType.SUCCESS.equals(output.port()) : ports.contains(output.port());
        if (!known || NodeType.ERROR.equals(output.port())) {
            return new IllegalStateException("node type " + graph.node(id).type() + " emitted on unknown port " + output.port());
        }
        int size = Json.bytes(output.data()).length;
        if (size > engine.limits().maxStepOutputBytes()) {
            return new NodeException(ErrorTypes.OUTPUT_TOO_LARGE, "the step's output is " + size
                    + " bytes, over the limit of "
                    + engine.limits().maxStepOutputBytes() + " bytes", false);
        }
        return null;
    }

    private void addAttempt(String id, int attempt, Instant startedAt, Instant finishedAt, TaskError error) {
        attempts.computeIfAbsent(id, k -> new ArrayList<>()).add(new Attempt(attempt, startedAt, finishedAt, error));
    }

    /** A copy of the rendered settings to record, or a note of their size when they are over the limit. */
    private static ObjectNode kept(ObjectNode settings) {
        int bytes = Json.bytes(settings).length;
        return bytes <= StepRecord.RENDERED_SETTINGS_MAX ? settings.deepCopy() : Json.object().put("omitted_bytes", bytes);
    }

    private static TaskError errorOf(String id, Throwable failure) {
        if (failure instanceof NodeException ne) return new TaskError(ne.type(), ne.getMessage(), id);
        if (failure instanceof InterruptedException) {
            return new TaskError(ErrorTypes.INTERRUPTED, "the step was interrupted", id);
        }
        // in words, never a class name: a plugin's bare ConnectException reads "could not connect ...: connection refused"
        String message = failure instanceof java.io.IOException ? dev.weft.node.NetworkFailure.describe(failure, null)
                : dev.weft.node.NetworkFailure.message(failure);
        return new TaskError(ErrorTypes.NODE_ERROR, message, id);
    }

    /**
     * Writes a finished step. It counts as finished for planning once the write is committed, except a pure step
     * that succeeded, which counts at once: the journal keeps writes in order, so a later step's committed record
     * implies this one's.
     *
     * <p>A task's last stretch: when a step succeeds after which only pure nodes run, and nothing else is running,
     * waiting for a retry or being recorded that a node reaching outside the process could follow, then everything
     * left of the task runs at once in memory. Such steps count at once and are recorded together with the task's
     * outcome, in its commit ({@link dev.weft.task.TaskJournal#taskFinished(long, List, TaskOutcome, Instant)}):
     * one commit fewer between the last answer and the task's end, and nothing is answered before that commit. A
     * crash before it runs those steps again when the task resumes, as it would have run them a moment earlier.
     */
    private void record(StepRecord record) {
        String id = record.nodeId();
        boolean done = record.state() == StepState.DONE;
        if (done && graph.onlyPureAfter(id) && (!lastSteps.isEmpty() || lastStretchBegins())) {
            lastSteps.add(record);
            recorded(record, null);
            return;
        }
        CompletionStage<Void> write = engine.journal().stepFinished(request.taskId(), record);
        if (graph.nodeType(id).pure() && done) {
            write.whenComplete((ok, error) -> {
                if (error != null) engine.control().execute(() -> recordFailed(record, error));
            });
            recorded(record, null);
            return;
        }
        boolean impureAfter = !graph.onlyPureAfter(id);
        if (impureAfter) awaitingImpure++;
        write.whenComplete((ok, error) -> engine.control().execute(() -> committed(record, error, impureAfter)));
    }

    /** Whether nothing but what the step just finished leads to can still run (see {@link #record}). */
    private boolean lastStretchBegins() {
        return inFlight.isEmpty() && awaitingImpure == 0 && wake == null && !advancing;
    }

    /** Writes the steps kept for the outcome's commit now, each on its own (a step that is not pure starts). */
    private void writeLastSteps() {
        for (StepRecord record : lastSteps) {
            engine.journal().stepFinished(request.taskId(), record).whenComplete((ok, error) -> {
                if (error != null) engine.control().execute(() -> recordFailed(record, error));
            });
        }
        lastSteps.clear();
    }

    private synchronized void committed(StepRecord record, Throwable error, boolean impureAfter) {
        if (impureAfter) awaitingImpure--;
        recorded(record, error);
    }

    private synchronized void recordFailed(StepRecord record, Throwable error) {
        if (!ending) end(storageFailure(record, error));
    }

    private static TaskOutcome storageFailure(StepRecord record, Throwable error) {
        return TaskOutcome.failed(new TaskError(ErrorTypes.STORAGE, "could not record step: " + error.getMessage(),
                record.nodeId()));
    }

    private synchronized void recorded(StepRecord record, Throwable error) {
        if (ending) return;
        if (error != null) {
            end(storageFailure(record, error));
            return;
        }
        steps.put(record.nodeId(), new Step.Finished(record));
        engine.listener().stepFinished(request.taskId(), record);
        advance();
    }

    private void end(TaskOutcome result) {
        ending = true;
        if (wake != null) wake.run();
        inFlight.values().forEach(h -> h.stop(true));
        inFlight.clear();
        Instant at = engine.clock().instant();
        List<StepRecord> last = List.copyOf(lastSteps);
        lastSteps.clear();
        // listeners answer waiting requests and write events: on the engine's threads, not the journal's writer
        engine.journal().taskFinished(request.taskId(), last, result, at).whenComplete(
                (ok, error) -> engine.control().execute(() -> {
                    if (error == null || last.isEmpty()) {
                        ended(result, at, error);
                    } else {
                        lastStepsFailed(last, error);
                    }
                }));
    }

    /**
     * The last steps could not be recorded with the outcome (nothing of that commit is kept): the task ends failed
     * with a storage error, as when a step's own record fails; when that cannot be recorded either (the lease was
     * lost), the task is abandoned here.
     */
    private void lastStepsFailed(List<StepRecord> last, Throwable error) {
        TaskOutcome failed = storageFailure(last.get(0), Causes.unwrap(error));
        Instant at = engine.clock().instant();
        engine.journal().taskFinished(request.taskId(), failed, at).whenComplete(
                (ok, again) -> engine.control().execute(() -> ended(failed, at, again)));
    }

    private void ended(TaskOutcome result, Instant at, Throwable error) {
        if (error != null) {
            engine.listener().taskAbandoned(request.taskId());
            outcome.completeExceptionally(error);
            return;
        }
        engine.listener().taskFinished(request.taskId(), result, at);
        outcome.complete(result);
    }

    /** The call with the listeners' live-progress sink for this attempt (the call itself when nobody takes deltas). */
    private NodeCall withDeltas(NodeCall call) {
        Deltas deltas = engine.listener().deltas(call.taskId(), call.nodeId(), call.attempt());
        return deltas == Deltas.NONE ? call : new NodeCall(call.taskId(), call.nodeId(), call.settings(), call.inputs(),
                call.attempt(), call.timeout(), call.journal(), deltas);
    }
}
