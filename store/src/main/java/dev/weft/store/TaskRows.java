package dev.weft.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.queue.ClaimedTask;
import dev.weft.task.Attempt;
import dev.weft.task.StepEntry;
import dev.weft.task.StepRecord;
import dev.weft.task.StepState;
import dev.weft.task.TaskError;
import dev.weft.task.TaskState;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Row mapping for the task table and the steps table: tasks, claims and recorded steps. */
final class TaskRows {

    static final String TASK_COLUMNS = """
            id, flow_id, flow_version, state, start_node, end_node, result_node, node_settings, result, error, key_id,
            created_at, started_at, finished_at, parent_task_id, depth, workspace_id""";
    private static final TypeReference<List<Attempt>> ATTEMPTS = new TypeReference<>() {};

    /** A claimed row before its recorded steps are loaded: {@code claims > 1} means an earlier run recorded some. */
    record Claim(ClaimedTask task, int claims) {}

    private TaskRows() {}

    static TaskRecord task(ResultSet row) throws SQLException {
        String settings = row.getString("node_settings");
        String result = row.getString("result");
        String error = row.getString("error");
        return new TaskRecord(row.getLong("id"), row.getLong("flow_id"), row.getInt("flow_version"),
                TaskState.ofWord(row.getString("state")), row.getString("start_node"), row.getString("end_node"),
                row.getString("result_node"), settings == null ? null : Json.read(settings),
                result == null ? null : Json.read(result),
                error == null ? null : Json.MAPPER.convertValue(Json.read(error), TaskError.class),
                row.getString("key_id"), Instant.ofEpochMilli(row.getLong("created_at")),
                instant(row, "started_at"), instant(row, "finished_at"), Rows.longOrNull(row, "parent_task_id"),
                row.getInt("depth"), row.getLong("workspace_id"));
    }

    static Claim claim(ResultSet row) throws SQLException {
        ClaimedTask task = new ClaimedTask(row.getLong("id"), row.getLong("flow_id"), row.getInt("flow_version"),
                row.getString("start_node"), row.getString("end_node"), row.getString("result_node"),
                nodeSettings(row.getString("node_settings")), List.of());
        return new Claim(task, row.getInt("claims"));
    }

    static StepRecord step(ResultSet row) throws SQLException {
        String inputs = row.getString("inputs");
        String outputs = row.getString("outputs");
        String error = row.getString("error");
        String attempts = row.getString("attempts");
        String rendered = row.getString("rendered_settings");
        return new StepRecord(row.getString("node_id"), row.getString("type"), StepState.ofWord(row.getString("state")),
                row.getString("port"), inputs == null ? null : (ObjectNode) Json.read(inputs),
                outputs == null ? null : (ObjectNode) Json.read(outputs),
                error == null ? null : Json.MAPPER.convertValue(Json.read(error), TaskError.class),
                attempts == null ? List.of() : Json.MAPPER.convertValue(Json.read(attempts), ATTEMPTS),
                instant(row, "started_at"), instant(row, "finished_at"),
                rendered == null ? null : (ObjectNode) Json.read(rendered));
    }

    /** A row of {@code step_journal}: {@code node_id, seq, key, value, recorded_at}. */
    static StepEntry entry(ResultSet row) throws SQLException {
        return new StepEntry(row.getString("node_id"), row.getInt("seq"), row.getString("key"),
                Json.read(row.getString("value")), Instant.ofEpochMilli(row.getLong("recorded_at")));
    }

    static Map<String, JsonNode> nodeSettings(String json) {
        Map<String, JsonNode> settings = new LinkedHashMap<>();
        if (json != null) Json.read(json).fields().forEachRemaining(e -> settings.put(e.getKey(), e.getValue()));
        return settings;
    }

    static String json(Object value) {
        return value == null ? null : Json.write(value);
    }

    static Long millis(Instant at) {
        return at == null ? null : at.toEpochMilli();
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        Long millis = Rows.longOrNull(row, column);
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }
}
