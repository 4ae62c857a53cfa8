import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Many open event streams on one Weft process: runs --tasks tasks that each hold in an HTTP step (a loopback
 * service here holds the calls), opens --streams SSE streams spread over them, and measures the server's heap
 * (after a full GC, via jcmd) and live threads before and with the streams open; then releases the calls and
 * measures how long until every stream has had task.finished and ended. Prints one JSON line. JDK only:
 *
 *   java bench/SseStreams.java --url http://127.0.0.1:18080 --admin TOKEN --pid WEFT_PID [--streams 1000] [--tasks 50]
 */
public class SseStreams {

    public static void main(String[] argv) throws Exception {
        String base = arg(argv, "--url", null);
        String admin = "Bearer " + arg(argv, "--admin", null);
        long pid = Long.parseLong(arg(argv, "--pid", null));
        int streams = Integer.parseInt(arg(argv, "--streams", "1000"));
        int tasks = Integer.parseInt(arg(argv, "--tasks", "50"));   // at most the node threads (64): each holds one
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(4)).connectTimeout(Duration.ofSeconds(10)).build();

        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger held = new AtomicInteger();
        HttpServer hold = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1000);
        hold.setExecutor(Executors.newCachedThreadPool());
        hold.createContext("/", exchange -> {
            held.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = "{\"ok\": true}".getBytes();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        hold.start();
        String api = "http://127.0.0.1:" + hold.getAddress().getPort();

        String flow = """
                {"name": "held", "nodes": [
                  {"id": "start", "type": "start", "settings": {"inputs": {"api": {"type": "string", "required": true}}}},
                  {"id": "call", "type": "http", "timeout_ms": 600000, "settings": {"url": "{{start.api}}/hold"}},
                  {"id": "end", "type": "end", "settings": {"outputs": {"ok": {"type": "boolean"}}}}],
                 "edges": [
                  {"from_node": "start", "to_node": "call", "fields_mapping": [{"from_field": "api", "to_field": "@"}]},
                  {"from_node": "call", "to_node": "end", "fields_mapping": [{"from_field": "body.ok", "to_field": "ok"}]}]}""";
        long flowId = Long.parseLong(field(send(http, "POST", base + "/api/v1/flows", flow, admin), "id"));
        send(http, "POST", base + "/api/v1/flows/" + flowId + "/publish", "", admin);

        long[] before = server(http, base, pid);
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            String task = send(http, "POST", base + "/api/v1/scade/flow/" + flowId + "/execute",
                    "{\"node_settings\": {\"start\": {\"data\": {\"api\": \"" + api + "\"}}}}", admin);
            ids.add(Long.parseLong(field(task, "id")));
        }
        while (held.get() < tasks) Thread.sleep(20);
        System.err.println("tasks running: " + tasks);
        long[] running = server(http, base, pid);

        AtomicInteger replayed = new AtomicInteger();
        AtomicInteger ended = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        CountDownLatch allReplayed = new CountDownLatch(streams);
        CountDownLatch allEnded = new CountDownLatch(streams);
        long opening = System.nanoTime();
        List<CompletableFuture<?>> open = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            long id = ids.get(i % tasks);
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/task/" + id + "/events"))
                    .header("Authorization", admin).header("Accept", "text/event-stream").build();
            int[] events = {0};
            boolean[] finished = {false};
            open.add(http.sendAsync(request, HttpResponse.BodyHandlers.fromLineSubscriber(
                    new java.util.concurrent.Flow.Subscriber<String>() {
                        public void onSubscribe(java.util.concurrent.Flow.Subscription s) { s.request(Long.MAX_VALUE); }
                        public void onNext(String line) {
                            if (!line.startsWith("event:")) return;
                            if (++events[0] == 2) { replayed.incrementAndGet(); allReplayed.countDown(); }
                            if (line.contains("task.finished")) finished[0] = true;
                        }
                        public void onError(Throwable t) { failures.incrementAndGet(); allEnded.countDown(); }
                        public void onComplete() {
                            if (finished[0]) ended.incrementAndGet(); else failures.incrementAndGet();
                            allEnded.countDown();
                        }
                    })));
        }
        if (!allReplayed.await(120, TimeUnit.SECONDS)) throw new AssertionError("only " + replayed + " streams replayed");
        double openSeconds = (System.nanoTime() - opening) / 1e9;
        System.err.println("streams open and replayed: " + replayed);
        long[] streaming = server(http, base, pid);
        String gauge = metric(send(http, "GET", base + "/metrics", null, admin), "weft_event_streams");

        System.err.println("releasing the held calls");
        long releasing = System.nanoTime();
        release.countDown();
        boolean all = allEnded.await(120, TimeUnit.SECONDS);
        double endSeconds = (System.nanoTime() - releasing) / 1e9;
        hold.stop(0);
        System.out.printf(Locale.ROOT, "{\"streams\":%d,\"tasks\":%d,\"open_and_replay_s\":%.2f,\"open_streams_gauge\":%s,"
                        + "\"heap_mb_before\":%.1f,\"heap_mb_tasks_running\":%.1f,\"heap_mb_streams_open\":%.1f,"
                        + "\"heap_growth_mb\":%.1f,\"heap_kb_per_stream\":%.1f,\"threads_before\":%d,"
                        + "\"threads_streams_open\":%d,\"all_finished_s\":%.2f,\"ended_with_task_finished\":%d,"
                        + "\"failures\":%d,\"all_ended\":%b}%n",
                streams, tasks, openSeconds, gauge, before[0] / 1e6, running[0] / 1e6, streaming[0] / 1e6,
                (streaming[0] - running[0]) / 1e6, (streaming[0] - running[0]) / 1e3 / streams, before[1],
                streaming[1], endSeconds, ended.get(), failures.get(), all);
        System.exit(0);
    }

    /** The server's heap in use after a full GC (jcmd GC.run, then jvm_memory_used_bytes) and its live threads. */
    static long[] server(HttpClient http, String base, long pid) throws Exception {
        Process gc = new ProcessBuilder("jcmd", String.valueOf(pid), "GC.run").redirectErrorStream(true).start();
        gc.getInputStream().readAllBytes();
        gc.waitFor();
        Thread.sleep(500);
        String metrics = send(http, "GET", base + "/metrics", null, null);
        long heap = 0;
        Matcher m = Pattern.compile("(?m)^jvm_memory_used_bytes\\{area=\"heap\",[^}]*} ([0-9.E+]+)").matcher(metrics);
        while (m.find()) heap += (long) Double.parseDouble(m.group(1));
        long threads = (long) Double.parseDouble(metric(metrics, "jvm_threads_live_threads"));
        return new long[] {heap, threads};
    }

    static String metric(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + " ([0-9.E+]+)").matcher(metrics);
        if (!m.find()) throw new AssertionError("no " + name);
        return m.group(1);
    }

    static String send(HttpClient http, String method, String url, String body, String auth) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (auth != null) b.header("Authorization", auth);
        if (body != null && !body.isEmpty()) b.header("Content-Type", "application/json");
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) throw new AssertionError(method + " " + url + ": " + r.statusCode() + " " + r.body());
        return r.body();
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*([0-9]+)").matcher(json);
        if (!m.find()) throw new AssertionError("no " + name + " in " + json);
        return m.group(1);
    }

    static String arg(String[] argv, String name, String fallback) {
        for (int i = 0; i + 1 < argv.length; i++) if (argv[i].equals(name)) return argv[i + 1];
        if (fallback == null) throw new IllegalArgumentException("missing " + name);
        return fallback;
    }
}
