package dev.weft.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.node.Journal;
import dev.weft.task.StepEntry;
import dev.weft.task.TaskJournal;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * The journal of one step of a running task, shared by all its attempts in this process: it starts from the entries
 * earlier processes recorded (loaded with the claim) and writes each new entry through the task journal, which
 * commits it under the task's lease. An entry joins {@link #recorded()} once it is committed. A step that records
 * nothing costs nothing: no statement is written or read for it.
 */
final class StepJournal implements Journal {

    private final TaskJournal store;
    private final Clock clock;
    private final Executor after;
    private final long taskId;
    private final String nodeId;
    private final Map<String, JsonNode> entries;
    private final Map<String, JsonNode> view;
    private int nextSeq;

    /**
     * {@code after}: where a recorded entry's stage completes. Never the store's writer thread, which completes the
     * write: the node's next work (an agent's next model call, a tool's cancel that writes itself) runs there.
     */
    StepJournal(TaskJournal store, Clock clock, Executor after, long taskId, String nodeId, List<StepEntry> earlier) {
        this.store = store;
        this.clock = clock;
        this.after = after;
        this.taskId = taskId;
        this.nodeId = nodeId;
        Map<String, JsonNode> known = new LinkedHashMap<>();
        int seq = 0;
        for (StepEntry entry : earlier) {
            known.put(entry.key(), entry.value());
            seq = Math.max(seq, entry.seq() + 1);
        }
        this.entries = Collections.synchronizedMap(known);
        this.view = Collections.unmodifiableMap(entries);
        this.nextSeq = seq;
    }

    @Override
    public Map<String, JsonNode> recorded() {
        return view;
    }

    @Override
    public CompletionStage<Void> record(String key, JsonNode value) {
        if (key == null || key.isEmpty()) throw new IllegalArgumentException("a journal entry needs a key");
        if (value == null) throw new IllegalArgumentException("journal entry " + key + " has no value");
        int seq;
        synchronized (this) {
            seq = nextSeq++;
        }
        JsonNode kept = value.deepCopy();
        return store.entryRecorded(taskId, new StepEntry(nodeId, seq, key, kept, clock.instant()))
                .thenRunAsync(() -> entries.put(key, kept), after);
    }
}
