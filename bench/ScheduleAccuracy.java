import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Schedule accuracy, read from Weft's database after schedules ran (issue 16): for the ticks of one flow's
 * schedules due in a time window, p50, p99 and max of (task started - tick due) in ms; ticks run twice (tasks of the
 * flow without a tick of their own, or one tick with two tasks) and ticks lost (a fire time between a schedule's
 * first and last tick with no tick claimed; every-second schedules are assumed), as one line of JSON. Run with
 * Weft's jar on the class path (it carries the JDBC drivers):
 * {@code java -cp server/target/weft.jar bench/ScheduleAccuracy.java URL FLOW_ID FROM_MS TO_MS}.
 */
public class ScheduleAccuracy {

    static final String DELAYS = """
            SELECT t.schedule_id, t.due_at, k.started_at FROM schedule_ticks t JOIN tasks k ON k.id = t.task_id
            WHERE k.flow_id = ? AND t.due_at BETWEEN ? AND ? ORDER BY t.schedule_id, t.due_at""";
    static final String TASKS = "SELECT COUNT(*) FROM tasks WHERE flow_id = ?";
    static final String TICKS = """
            SELECT COUNT(*), COUNT(DISTINCT t.task_id) FROM schedule_ticks t JOIN schedules s ON s.id = t.schedule_id
            WHERE s.flow_id = ?""";

    public static void main(String[] args) throws Exception {
        long flow = Long.parseLong(args[1]);
        long from = Long.parseLong(args[2]);
        long to = Long.parseLong(args[3]);
        List<Long> delays = new ArrayList<>();
        Map<Long, Long> lastDue = new HashMap<>();
        long lost = 0;
        long unstarted = 0;
        try (Connection c = DriverManager.getConnection(args[0])) {
            try (PreparedStatement s = c.prepareStatement(DELAYS)) {
                s.setLong(1, flow);
                s.setLong(2, from);
                s.setLong(3, to);
                try (ResultSet rows = s.executeQuery()) {
                    while (rows.next()) {
                        long schedule = rows.getLong(1);
                        long due = rows.getLong(2);
                        long started = rows.getLong(3);
                        if (rows.wasNull()) unstarted++;
                        else delays.add(started - due);
                        Long previous = lastDue.put(schedule, due);
                        if (previous != null && due - previous > 1000) lost += (due - previous) / 1000 - 1;
                    }
                }
            }
            long tasks = one(c, TASKS, flow);
            long[] ticks = two(c, TICKS, flow);
            long twice = (tasks - ticks[1]) + (ticks[0] - ticks[1]);
            System.out.printf(Locale.ROOT, "{\"ticks\":%d,\"delay_p50_ms\":%d,\"delay_p99_ms\":%d,\"delay_max_ms\":%d,"
                            + "\"run_twice\":%d,\"lost\":%d,\"not_started\":%d,\"all_tasks\":%d,\"all_ticks\":%d}%n",
                    delays.size(), pct(delays, 50), pct(delays, 99), pct(delays, 100), twice, lost, unstarted, tasks,
                    ticks[0]);
        }
    }

    static long one(Connection c, String sql, long flow) throws Exception {
        return two(c, sql, flow)[0];
    }

    static long[] two(Connection c, String sql, long flow) throws Exception {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, flow);
            try (ResultSet rows = s.executeQuery()) {
                rows.next();
                return new long[] {rows.getLong(1), rows.getMetaData().getColumnCount() > 1 ? rows.getLong(2) : 0};
            }
        }
    }

    static long pct(List<Long> values, int p) {
        if (values.isEmpty()) return -1;
        Collections.sort(values);
        return values.get(Math.min(values.size() - 1, (int) Math.ceil(p / 100.0 * values.size()) - 1));
    }
}
