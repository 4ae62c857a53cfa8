import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one task costs PostgreSQL, counted by the server: runs tasks of one flow through Weft's run API with
 * {@code ?wait}, and reads, for Weft's database only, the statements {@code pg_stat_statements} counted and the
 * transactions {@code pg_stat_database.xact_commit} counted over the run, per task. The same counts over an idle
 * window of the same processes (heartbeats, rescuers, worker polls) are printed beside them, so that the part of
 * the cost that grows with time rather than with tasks is visible. The server must load {@code pg_stat_statements}
 * ({@code TestPostgres --statements}); the extension is created in the {@code postgres} database, where this tool
 * reads from, so its own reads are not counted against Weft's database.
 *
 * <pre>java -cp weft.jar bench/PgCost.java --base URL --key KEY --flow ID --body JSON --admin-url JDBC --db NAME
 *     [--tasks 200] [--concurrency 1] [--waiters 1] [--idle-seconds 10] [--warmup 30]</pre>
 *
 * With {@code --waiters 1} each task is one {@code POST execute?wait=30}. With {@code --waiters W > 1} each task is
 * {@code POST execute} and then W parallel {@code GET /api/v1/task/{id}?wait=30} (W requests waiting for one task).
 */
public class PgCost {

    /**
     * A backend reports its transaction counts to pg_stat_database when it has been idle for up to 10 s (PostgreSQL
     * 15+), so every window of counts starts and ends this long after the work before it.
     */
    static final long SETTLE_MILLIS = 11_000;

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) opt.put(args[i].substring(2), args[i + 1]);
        String base = opt.get("base");
        String key = opt.get("key");
        String flow = opt.get("flow");
        String body = opt.get("body");
        String adminUrl = opt.get("admin-url");
        String db = opt.get("db");
        int tasks = Integer.parseInt(opt.getOrDefault("tasks", "200"));
        int concurrency = Integer.parseInt(opt.getOrDefault("concurrency", "1"));
        int waiters = Integer.parseInt(opt.getOrDefault("waiters", "1"));
        int idleSeconds = Integer.parseInt(opt.getOrDefault("idle-seconds", "10"));
        int warmup = Integer.parseInt(opt.getOrDefault("warmup", "30"));

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Runner runner = new Runner(http, base, key, flow, body, waiters);
        try (Connection admin = DriverManager.getConnection(adminUrl)) {
            try (Statement s = admin.createStatement()) {
                s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            }
            runner.run(warmup, Math.min(concurrency, 8));
            Thread.sleep(SETTLE_MILLIS);

            Counts idleFrom = Counts.read(admin, db, true);
            long idleStart = System.nanoTime();
            Thread.sleep(idleSeconds * 1000L);
            Counts idle = Counts.read(admin, db, false).minus(idleFrom);
            double idleSecs = (System.nanoTime() - idleStart) / 1e9;
            Thread.sleep(SETTLE_MILLIS);

            Counts from = Counts.read(admin, db, true);
            long start = System.nanoTime();
            int failed = runner.run(tasks, concurrency);
            double runSecs = (System.nanoTime() - start) / 1e9;
            Thread.sleep(SETTLE_MILLIS);
            Counts run = Counts.read(admin, db, false).minus(from);
            double windowSecs = (System.nanoTime() - start) / 1e9;

            double idleStmtPerSec = idle.statements / idleSecs;
            double idleXactPerSec = idle.commits / idleSecs;
            System.out.printf(Locale.ROOT, "{\"tasks\":%d,\"failed\":%d,\"concurrency\":%d,\"waiters\":%d,"
                            + "\"run_s\":%.2f,\"statements_per_task\":%.2f,\"sql_per_task\":%.2f,"
                            + "\"commits_per_task\":%.2f,\"commit_statements_per_task\":%.2f,"
                            + "\"idle_statements_per_s\":%.2f,\"idle_commits_per_s\":%.2f,"
                            + "\"statements_per_task_less_idle\":%.2f,\"commits_per_task_less_idle\":%.2f}%n",
                    tasks, failed, concurrency, waiters, runSecs, run.statements / (double) tasks,
                    run.sql() / (double) tasks, run.commits / (double) tasks, run.commitCalls() / (double) tasks,
                    idleStmtPerSec, idleXactPerSec,
                    (run.statements - idleStmtPerSec * windowSecs) / tasks,
                    (run.commits - idleXactPerSec * windowSecs) / tasks);
            System.out.println("per task, by statement (calls / tasks):");
            run.byQuery.entrySet().stream()
                    .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                    .forEach(e -> System.out.printf(Locale.ROOT, "  %6.2f  %s%n", e.getValue() / (double) tasks,
                            e.getKey()));
            System.out.println("idle, by statement (calls / s):");
            idle.byQuery.entrySet().stream()
                    .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                    .forEach(e -> System.out.printf(Locale.ROOT, "  %6.2f  %s%n", e.getValue() / idleSecs,
                            e.getKey()));
        }
        System.exit(0);
    }

    /** Counts of one database: statements by query text, and committed transactions. */
    record Counts(long statements, long commits, Map<String, Long> byQuery) {

        /** Reads the counts; {@code reset} zeroes pg_stat_statements first (the xact count is a difference). */
        static Counts read(Connection admin, String db, boolean reset) throws Exception {
            if (reset) {
                try (Statement s = admin.createStatement()) {
                    s.execute("SELECT pg_stat_statements_reset()");
                }
            }
            Map<String, Long> byQuery = new LinkedHashMap<>();
            long total = 0;
            try (PreparedStatement s = admin.prepareStatement("""
                    SELECT regexp_replace(query, '\\s+', ' ', 'g'), SUM(calls) FROM pg_stat_statements
                    WHERE dbid = (SELECT oid FROM pg_database WHERE datname = ?) GROUP BY 1""")) {
                s.setString(1, db);
                try (ResultSet rows = s.executeQuery()) {
                    while (rows.next()) {
                        String q = rows.getString(1);
                        if (q.length() > 110) q = q.substring(0, 110) + " ...";
                        byQuery.merge(q, rows.getLong(2), Long::sum);
                        total += rows.getLong(2);
                    }
                }
            }
            long commits;
            try (PreparedStatement s = admin.prepareStatement(
                    "SELECT xact_commit FROM pg_stat_database WHERE datname = ?")) {
                s.setString(1, db);
                try (ResultSet rows = s.executeQuery()) {
                    rows.next();
                    commits = rows.getLong(1);
                }
            }
            return new Counts(reset ? 0 : total, commits, reset ? Map.of() : byQuery);
        }

        Counts minus(Counts earlier) {
            return new Counts(statements - earlier.statements, commits - earlier.commits, byQuery);
        }

        long commitCalls() {
            return byQuery.getOrDefault("COMMIT", 0L);
        }

        /** Statements other than BEGIN and COMMIT. */
        long sql() {
            return statements - commitCalls() - byQuery.getOrDefault("BEGIN", 0L);
        }
    }

    /** Runs tasks in closed loops, each through one or more {@code ?wait} requests. */
    record Runner(HttpClient http, String base, String key, String flow, String body, int waiters) {

        static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");

        int run(int tasks, int concurrency) throws Exception {
            AtomicInteger next = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(concurrency * (waiters + 1));
            List<CompletableFuture<Void>> loops = new ArrayList<>();
            for (int c = 0; c < concurrency; c++) {
                loops.add(CompletableFuture.runAsync(() -> {
                    while (next.getAndIncrement() < tasks) {
                        try {
                            if (!one(pool)) failed.incrementAndGet();
                        } catch (Exception e) {
                            failed.incrementAndGet();
                        }
                    }
                }, pool));
            }
            for (CompletableFuture<Void> loop : loops) loop.join();
            pool.shutdown();
            return failed.get();
        }

        boolean one(ExecutorService pool) throws Exception {
            String execute = base + "/api/v1/scade/flow/" + flow + "/execute";
            if (waiters <= 1) {
                HttpResponse<String> answer = send(post(execute + "?wait=30"));
                return answer.statusCode() == 200 && answer.body().contains("\"status\":3");
            }
            HttpResponse<String> accepted = send(post(execute));
            Matcher id = ID.matcher(accepted.body());
            if (!id.find()) return false;
            List<CompletableFuture<Boolean>> all = new ArrayList<>();
            for (int w = 0; w < waiters; w++) {
                all.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        HttpResponse<String> done = send(HttpRequest.newBuilder(
                                URI.create(base + "/api/v1/task/" + id.group(1) + "?wait=30"))
                                .header("Authorization", "Basic " + key).GET().build());
                        return done.statusCode() == 200 && done.body().contains("\"status\":3");
                    } catch (Exception e) {
                        return false;
                    }
                }, pool));
            }
            boolean ok = true;
            for (CompletableFuture<Boolean> w : all) ok &= w.join();
            return ok;
        }

        HttpRequest post(String url) {
            return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Basic " + key)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        }

        HttpResponse<String> send(HttpRequest request) throws Exception {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }
}
