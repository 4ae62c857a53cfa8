package dev.weft.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.engine.testing.Flows;
import dev.weft.engine.testing.ManualClock;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The draft snapshots test-runs run, on every database: numbered apart from published versions, never the latest,
 * never listed, reused while the draft is unchanged, their tasks told apart (draft filter), and old ones retired.
 */
abstract class DraftStoreContract {

    final ManualClock clock = new ManualClock();
    Database database;
    JdbcFlowStore flows;
    JdbcTaskStore tasks;
    JsonNode doc;
    long flowId;

    abstract Database openFresh();

    @BeforeEach
    void open() {
        database = openFresh();
        flows = new JdbcFlowStore(database, clock);
        tasks = new JdbcTaskStore(database, flows, clock, "a", Duration.ofSeconds(30));
        doc = Flows.flow().start("start").node("work", "block").end("end", "out")
                .edge("start", "work", "success -> @").edge("work", "end", "success -> out").document();
        flowId = flows.create("drafts", doc).id();
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void a_snapshot_is_numbered_apart_and_is_never_the_latest_nor_listed_nor_counted_by_publishing() {
        FlowVersion snapshot = flows.snapshotDraft(flowId, doc);
        assertThat(snapshot.draft()).isTrue();
        assertThat(snapshot.version()).isEqualTo(FlowVersion.DRAFTS_FROM);
        assertThat(flows.latestVersionNumber(flowId)).contains(Optional.empty());
        assertThat(flows.get(flowId).orElseThrow().latestVersion()).isNull();
        assertThat(flows.latestVersion(flowId)).isEmpty();

        assertThat(flows.publish(flowId, doc).version()).as("publishing still counts 1, 2...").isEqualTo(1);
        assertThat(flows.versions(flowId)).extracting(FlowVersion::version).containsExactly(1);
        assertThat(flows.version(flowId, snapshot.version())).as("readable by number, for its tasks").isPresent();
        assertThat(tasks.flowVersion(flowId, snapshot.version()).nodes()).hasSize(3);
    }

    @Test
    void an_unchanged_draft_reuses_its_last_snapshot_and_a_changed_one_gets_the_next_number() {
        FlowVersion first = flows.snapshotDraft(flowId, doc);
        assertThat(flows.snapshotDraft(flowId, doc.deepCopy()).version()).isEqualTo(first.version());
        ObjectNode changed = doc.deepCopy();
        changed.put("name", "changed");
        assertThat(flows.snapshotDraft(flowId, changed).version()).isEqualTo(first.version() + 1);
        assertThat(count("SELECT COUNT(*) FROM flow_versions WHERE flow_id = ?", flowId)).isEqualTo(2);
    }

    @Test
    void a_snapshot_never_makes_an_accept_of_the_latest_version_stale_and_its_tasks_are_drafts() {
        flows.publish(flowId, doc);
        FlowVersion snapshot = flows.snapshotDraft(flowId, doc);
        TaskRecord published = tasks.accept().accept(new NewTask(flowId, 1, "start", "end", "end", Map.of(), null,
                null, 0, true), StartMode.QUEUED, AcceptHook.NONE).task();
        TaskRecord draft = tasks.accept().accept(new NewTask(flowId, snapshot.version(), "start", "end", "end",
                Map.of(), null), StartMode.QUEUED, AcceptHook.NONE).task();
        assertThat(published.draft()).isFalse();
        assertThat(draft.draft()).isTrue();
        assertThat(tasks.reads().get(draft.id()).orElseThrow().draft()).as("read back").isTrue();

        JdbcTaskList list = new JdbcTaskList(database);
        assertThat(list.newest(null, null, true, Long.MAX_VALUE, 10)).extracting(TaskRecord::id).containsExactly(draft.id());
        assertThat(list.newest(flowId, null, false, Long.MAX_VALUE, 10)).extracting(TaskRecord::id)
                .containsExactly(published.id());
        assertThat(list.newest(flowId, null, null, Long.MAX_VALUE, 10)).hasSize(2);
    }

    @Test
    void retention_retires_old_snapshots_no_task_runs_but_keeps_each_flows_last_one() {
        FlowVersion old = flows.snapshotDraft(flowId, doc);
        ObjectNode second = doc.deepCopy();
        second.put("name", "second");
        FlowVersion used = flows.snapshotDraft(flowId, second);
        long task = tasks.accept().accept(new NewTask(flowId, used.version(), "start", "end", "end", Map.of(), null),
                StartMode.QUEUED, AcceptHook.NONE).task().id();   // unfinished: retention keeps it
        ObjectNode third = doc.deepCopy();
        third.put("name", "third");
        FlowVersion last = flows.snapshotDraft(flowId, third);

        clock.advance(Duration.ofHours(2));
        new Retention(database, clock, Duration.ofDays(1), 10).runOnce();
        assertThat(versions()).as("younger than the retention age: all kept")
                .containsExactly(old.version(), used.version(), last.version());

        clock.advance(Duration.ofDays(2));
        new Retention(database, clock, Duration.ofDays(1), 10).runOnce();
        assertThat(versions()).as("the unused old one goes; the one a task runs and the last stay")
                .containsExactly(used.version(), last.version());
        assertThat(tasks.reads().get(task)).isPresent();
    }

    private List<Integer> versions() {
        return Rows.list(database.readers(), "SELECT version FROM flow_versions WHERE flow_id = ? ORDER BY version",
                r -> r.getInt(1), flowId);
    }

    private int count(String sql, Object... params) {
        return Rows.one(database.readers(), sql, r -> r.getInt(1), params).orElseThrow();
    }
}
