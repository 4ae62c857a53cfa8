package dev.weft.node;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * What a step records while it runs, so that a step cut short (a crash, a lost lease, a retry) resumes where it
 * stood instead of starting over: an agent records each model call and each tool call as it finishes, and after a
 * {@code kill -9} none of them is sent again.
 *
 * <p>Entries are keyed by the node ({@code "model:3"}, {@code "tool:call_abc"}); a key is recorded once per step.
 * {@link #recorded()} holds what earlier attempts of the same step recorded, in any process; {@link #record} makes
 * a new entry durable before its stage completes. A node replays its work deterministically: given the same
 * settings, inputs and recorded entries it asks for the same keys in the same order.
 */
public interface Journal {

    /**
     * The entries earlier attempts of this step recorded, in the order they were recorded; empty on a first run.
     * Entries this attempt records are added.
     *
     * @return key to value, unmodifiable
     */
    Map<String, JsonNode> recorded();

    /**
     * Records {@code value} under {@code key}; the stage completes once the entry is durable (committed with the
     * task's lease held) and fails when it cannot be (the lease was lost: the step's outcome would be refused too).
     *
     * @param key   the entry's key, unique within the step
     * @param value what to keep; nodes should record the smallest value that lets them resume
     * @return completes when recorded
     */
    CompletionStage<Void> record(String key, JsonNode value);

    /**
     * The value recorded under {@code key}, or the value of {@code work}, recorded before the stage completes.
     * The work runs only when nothing is recorded under the key.
     *
     * @param key  the entry's key
     * @param work the work whose result to keep
     * @return the recorded or computed value
     */
    default CompletionStage<JsonNode> once(String key, Supplier<CompletionStage<JsonNode>> work) {
        JsonNode known = recorded().get(key);
        if (known != null) return CompletableFuture.completedFuture(known);
        return work.get().thenCompose(value -> record(key, value).thenApply(recorded -> value));
    }

    /**
     * A journal kept in memory only: entries last as long as the object. For runs without a task store
     * ({@code weft run}, in-memory sub-flows) and tests.
     *
     * @return a new empty journal
     */
    static Journal memory() {
        return memory(Map.of());
    }

    /**
     * A journal kept in memory that starts with {@code earlier} entries, as if a previous attempt recorded them.
     *
     * @param earlier entries recorded before, in order
     * @return a new journal
     */
    static Journal memory(Map<String, JsonNode> earlier) {
        Map<String, JsonNode> entries = Collections.synchronizedMap(new LinkedHashMap<>(earlier));
        Map<String, JsonNode> view = Collections.unmodifiableMap(entries);
        return new Journal() {
            @Override
            public Map<String, JsonNode> recorded() {
                return view;
            }

            @Override
            public CompletionStage<Void> record(String key, JsonNode value) {
                entries.put(key, value);
                return CompletableFuture.completedFuture(null);
            }
        };
    }
}
