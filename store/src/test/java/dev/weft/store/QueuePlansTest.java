package dev.weft.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The queue's queries on SQLite read only the queued or running tasks, through the indexes made for them (V20), never
 * the whole task table: a claim runs once a second and whenever a task ends with work waiting, a rescue every few
 * seconds, both on the one writer's thread, so a scan would grow with every task ever kept. Asked of SQLite's own
 * query planner ({@code EXPLAIN QUERY PLAN}), whose choice does not depend on how many rows the table holds.
 */
class QueuePlansTest {

    private static final Map<String, String> QUERIES = Map.of(
            "claim", JdbcTaskQueue.CLAIM,
            "claim under a flow limit", JdbcTaskQueue.CLAIM_UNDER_FLOW_LIMIT,
            "rescue", Rescuer.RESCUE,
            "running tasks of a flow", JdbcTaskReads.RUNNING_OF_FLOW,
            "queued count", JdbcTaskReads.QUEUED_COUNT);

    @TempDir
    Path dir;
    private Database database;

    @BeforeEach
    void open() {
        database = Database.openSqlite(dir);
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void every_queue_query_reads_tasks_through_the_queued_or_running_index_or_by_id() throws Exception {
        try (Connection connection = database.readers().getConnection()) {
            for (Map.Entry<String, String> query : QUERIES.entrySet()) {
                List<String> reads = taskReads(connection, database.dialect().sql(query.getValue()));
                assertThat(reads).as(query.getKey()).isNotEmpty();
                assertThat(reads).as(query.getKey() + ": " + reads).allMatch(step -> step.contains("tasks_queued")
                        || step.contains("tasks_running") || step.contains("PRIMARY KEY"));
            }
        }
    }

    /**
     * Why V20's indexes exist: without them SQLite has no index a claim can use (it does not see that "state =
     * 'queued'" falls within tasks_unfinished's "state IN ('queued', 'running')") and reads the whole table. With them
     * and the index not named, its choice between the index and the table varies (seen both ways on one machine),
     * which is why the queries name them.
     */
    @Test
    void without_the_queue_indexes_sqlite_scans_the_whole_table_for_a_claim() throws Exception {
        String unnamed = JdbcTaskQueue.CLAIM.replace("${queued_tasks}", "tasks");
        try (Connection connection = database.readers().getConnection(); Statement drop = connection.createStatement()) {
            drop.execute("DROP INDEX tasks_queued");
            drop.execute("DROP INDEX tasks_running");
            assertThat(taskReads(connection, database.dialect().sql(unnamed))).contains("SCAN tasks");
        }
    }

    /** The steps of the statement's plan that read the task table. */
    private static List<String> taskReads(Connection connection, String sql) throws Exception {
        List<String> reads = new ArrayList<>();
        try (PreparedStatement plan = connection.prepareStatement("EXPLAIN QUERY PLAN " + sql);
             ResultSet rows = plan.executeQuery()) {
            while (rows.next()) {
                String detail = rows.getString("detail");
                if (detail.matches("(SCAN|SEARCH) tasks\\b.*")) reads.add(detail);
            }
        }
        return reads;
    }
}
