import dev.weft.store.Database;
import dev.weft.store.JdbcFlowStore;
import dev.weft.store.JdbcTaskStore;
import dev.weft.store.Rescuer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.util.Arrays;
import java.util.Locale;

/**
 * What one claim round and one rescue round of the queue cost on SQLite with an empty queue, as the task table
 * grows with finished tasks: the work a worker's poll (once a second, and when a task ends with work waiting) and
 * the rescuer (every few seconds) do on the one writer's thread. Prints one JSON line per table size with the p50
 * and p99 of each, in µs. Run with a Weft jar on the class path, one build against another:
 * {@code java -cp server/target/weft.jar bench/ClaimCost.java [ROUNDS] [SIZES...]}.
 */
public class ClaimCost {

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        long[] sizes = args.length > 1 ? Arrays.stream(args, 1, args.length).mapToLong(Long::parseLong).toArray()
                : new long[] {1_000, 10_000, 100_000, 300_000};
        Path dir = Files.createTempDirectory("weft-claim-cost");
        Database database = Database.openSqlite(dir);
        try {
            Clock clock = Clock.systemUTC();
            JdbcTaskStore tasks = new JdbcTaskStore(database, new JdbcFlowStore(database, clock), clock, "bench",
                    JdbcTaskStore.LEASE_DEFAULT);
            Rescuer rescuer = new Rescuer(database, clock);
            long have = 0;
            for (long size : sizes) {
                fill(dir.resolve("weft.db"), have, size);
                have = size;
                long[] claim = new long[rounds];
                long[] rescue = new long[rounds];
                for (int i = 0; i < rounds; i++) {
                    long t0 = System.nanoTime();
                    if (!tasks.queue().claim(64).isEmpty()) throw new IllegalStateException("the queue is not empty");
                    long t1 = System.nanoTime();
                    rescuer.runOnce();
                    long t2 = System.nanoTime();
                    claim[i] = (t1 - t0) / 1000;
                    rescue[i] = (t2 - t1) / 1000;
                }
                Arrays.sort(claim);
                Arrays.sort(rescue);
                System.out.printf(Locale.ROOT, "{\"finished_tasks\":%d,\"claim_p50_us\":%d,\"claim_p99_us\":%d,"
                        + "\"rescue_p50_us\":%d,\"rescue_p99_us\":%d}%n", size, claim[rounds / 2],
                        claim[rounds * 99 / 100], rescue[rounds / 2], rescue[rounds * 99 / 100]);
            }
        } finally {
            database.close();
        }
    }

    /** Adds finished tasks (rows only, as the table keeps them) until it holds {@code to}. */
    private static void fill(Path file, long from, long to) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("""
                    INSERT INTO tasks (flow_id, flow_version, state, start_node, end_node, result_node, node_settings,
                                       result, created_at, started_at, finished_at)
                    VALUES (1, 1, 'completed', 'start', 'end', 'end', '{}', '{"greeting":"Hello Ada"}', ?, ?, ?)""")) {
                for (long i = from; i < to; i++) {
                    insert.setLong(1, i);
                    insert.setLong(2, i);
                    insert.setLong(3, i + 1);
                    insert.addBatch();
                    if (i % 10_000 == 0) insert.executeBatch();
                }
                insert.executeBatch();
            }
            c.commit();
        }
    }
}
