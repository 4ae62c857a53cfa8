package dev.weft.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.store.TaskRecord;
import dev.weft.task.TaskOutcome;
import dev.weft.task.TaskState;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecentTasksTest {

    private static final Instant CREATED = Instant.parse("2026-12-05T10:00:00Z");

    private static TaskRecord running(long id, ObjectNode nodeSettings) {
        return new TaskRecord(id, 7, 2, TaskState.RUNNING, "start", "end", "end", nodeSettings, null, null, "key-1",
                CREATED, CREATED, null, null, 0, 3);
    }

    private static ObjectNode input(String text) {
        ObjectNode settings = Json.object();
        settings.putObject("start").putObject("data").put("document", text);
        return settings;
    }

    @Test
    void a_task_is_answered_running_then_with_its_outcome_to_the_millisecond() {
        RecentTasks recent = new RecentTasks(10);
        recent.running(running(1, input("short")));
        assertThat(recent.get(1)).get().extracting(TaskRecord::state, TaskRecord::workspaceId, TaskRecord::keyId)
                .containsExactly(TaskState.RUNNING, 3L, "key-1");

        ObjectNode result = Json.object().put("greeting", "Hello");
        recent.taskFinished(1, TaskOutcome.completed(result), Instant.parse("2026-12-05T10:00:01.234567Z"));

        TaskRecord finished = recent.get(1).orElseThrow();
        assertThat(finished.state()).isEqualTo(TaskState.COMPLETED);
        assertThat(finished.result()).isEqualTo(result);
        assertThat(finished.finishedAt()).isEqualTo(Instant.parse("2026-12-05T10:00:01.234Z"));
        assertThat(finished.createdAt()).isEqualTo(CREATED);
    }

    @Test
    void a_kept_task_holds_no_inputs_so_large_request_bodies_are_not_kept_in_memory() {
        RecentTasks recent = new RecentTasks(10);
        recent.running(running(1, input("x".repeat(1_000_000))));
        assertThat(recent.get(1).orElseThrow().nodeSettings()).isNull();

        recent.taskFinished(1, TaskOutcome.completed(Json.object().put("n", 1)), CREATED.plusSeconds(1));
        assertThat(recent.get(1).orElseThrow().nodeSettings()).isNull();
    }

    @Test
    void a_result_over_the_limit_is_not_kept_and_the_oldest_task_goes_past_the_capacity() {
        RecentTasks recent = new RecentTasks(2);
        recent.running(running(1, null));
        recent.taskFinished(1, TaskOutcome.completed(Json.object().put("text",
                "y".repeat(RecentTasks.RESULT_BYTES_MAX))), CREATED.plusSeconds(1));
        assertThat(recent.get(1)).isEmpty();   // its polls read the database

        recent.running(running(2, null));
        recent.running(running(3, null));
        recent.get(2);   // used: 3 is now the least recently used
        recent.running(running(4, null));
        assertThat(recent.get(3)).isEmpty();
        assertThat(recent.get(2)).isPresent();
        assertThat(recent.get(4)).isPresent();
    }

    @Test
    void the_results_kept_take_at_most_their_budget_and_the_least_recently_used_go_first() {
        RecentTasks recent = new RecentTasks(100, 100);
        ObjectNode forty = Json.object().put("text", "z".repeat(29));   // {"text":"zzz..."}: 40 characters
        for (long id = 1; id <= 3; id++) {
            recent.running(running(id, null));
            recent.taskFinished(id, TaskOutcome.completed(forty), CREATED.plusSeconds(id));
        }
        assertThat(recent.get(1)).isEmpty();   // 120 characters: the first went
        assertThat(recent.get(2)).isPresent();
        assertThat(recent.get(3)).isPresent();
        assertThat(recent.held()).containsExactly(2, 80);

        recent.running(running(4, null));   // running: no result yet, nothing of the budget
        assertThat(recent.held()).containsExactly(3, 80);
        recent.taskAbandoned(2);
        assertThat(recent.held()).containsExactly(2, 40);
    }
}
