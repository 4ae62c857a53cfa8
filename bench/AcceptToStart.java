import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Accept-to-start latency, read from Weft's database after a load run: for the tasks of one flow accepted in a
 * time window, p50 and p99 of (first step started - accepted) and of (claimed - accepted), in ms, as one line of
 * JSON. The first step is the first node after the start node. Run with Weft's jar on the class path (it carries
 * both JDBC drivers): {@code java -cp server/target/weft.jar bench/AcceptToStart.java URL FLOW_ID FROM_MS TO_MS}.
 */
public class AcceptToStart {

    static final String QUERY = """
            SELECT t.created_at, t.started_at,
                   (SELECT MIN(s.started_at) FROM steps s WHERE s.task_id = t.id AND s.type <> 'start') AS first_step
            FROM tasks t
            WHERE t.flow_id = ? AND t.created_at BETWEEN ? AND ? AND t.started_at IS NOT NULL""";

    public static void main(String[] args) throws Exception {
        List<Long> claim = new ArrayList<>();
        List<Long> firstStep = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(args[0]); PreparedStatement s = c.prepareStatement(QUERY)) {
            s.setLong(1, Long.parseLong(args[1]));
            s.setLong(2, Long.parseLong(args[2]));
            s.setLong(3, Long.parseLong(args[3]));
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    long created = rows.getLong(1);
                    claim.add(rows.getLong(2) - created);
                    long first = rows.getLong(3);
                    if (!rows.wasNull()) firstStep.add(first - created);
                }
            }
        }
        System.out.printf(Locale.ROOT, "{\"tasks\":%d,\"claim_p50_ms\":%d,\"claim_p99_ms\":%d,"
                        + "\"first_step_p50_ms\":%d,\"first_step_p99_ms\":%d}%n", claim.size(), pct(claim, 50),
                pct(claim, 99), pct(firstStep, 50), pct(firstStep, 99));
    }

    static long pct(List<Long> values, int p) {
        if (values.isEmpty()) return -1;
        Collections.sort(values);
        return values.get(Math.min(values.size() - 1, (int) Math.ceil(p / 100.0 * values.size()) - 1));
    }
}
