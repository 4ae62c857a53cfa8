import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many {@code model} tasks in flight at once against a slow fake of Replicate's prediction API (issue 13: "no thread
 * held while a prediction runs: 1,000 in flight on a fake that answers in 30 s, RSS within 500 MB").
 *
 * <p>The fake, in this process on loopback, speaks Replicate's protocol: {@code POST /v1/models/{owner}/{name}/
 * predictions} answers 201 with a {@code starting} prediction and its {@code urls}; {@code GET /v1/predictions/{id}}
 * answers {@code processing} until --delay-ms after the create (with --gate true, the default: until --delay-ms after
 * the last of the --tasks creates arrived, so that every prediction is in flight at once however slowly the server
 * accepts executes), then {@code succeeded} with an output of one image URL
 * that the fake serves too ({@code GET /delivery/<id>.png}, a small PNG); with --output text the output is text and
 * nothing is downloaded. The JDK HttpServer's one dispatcher thread answers every request at once: the fake holds no
 * request open, so every waiting is the node's own (timer entries between reads).
 *
 * <p>It publishes {@code start -> model -> end} through the management API (admin token), makes a server key, runs
 * --warmup tasks and waits for them, then sends --tasks executes (at most --senders requests open at once) and samples
 * every --sample-ms until all have finished: the server's VmRSS, VmHWM and Threads ({@code /proc/<pid>/status}) and
 * the predictions in flight at the fake (created, not yet read as ended). It counts the server's threads by name
 * ({@code jcmd <pid> Thread.print}) after the warm-up and again when the most predictions are in flight (every one of
 * --tasks, or half a delay after the sends), and prints both side by side. Then it reads every task and checks its
 * result. Prints a summary and one JSON line; exits 1 unless every task completed with the right output.
 *
 *   java -cp server/target/weft.jar bench/ModelInFlight.java --url http://127.0.0.1:18091 --admin TOKEN --pid PID \
 *     [--tasks 1000] [--delay-ms 30000] [--output file|text] [--gate true|false] [--warmup 20] [--senders 16]
 */
public class ModelInFlight {

    static final ObjectMapper JSON = new ObjectMapper();
    static final byte[] PNG = Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>(Map.of("--tasks", "1000", "--delay-ms", "30000", "--output", "file",
                "--warmup", "20", "--senders", "16", "--sample-ms", "100", "--timeout-s", "600", "--gate", "true"));
        for (int i = 0; i + 1 < args.length; i += 2) opts.put(args[i], args[i + 1]);
        String url = opts.get("--url");
        String admin = opts.get("--admin");
        long pid = Long.parseLong(opts.get("--pid"));
        int tasks = Integer.parseInt(opts.get("--tasks"));
        int warmup = Integer.parseInt(opts.get("--warmup"));
        long delay = Long.parseLong(opts.get("--delay-ms"));
        boolean files = opts.get("--output").equals("file");
        int senders = Integer.parseInt(opts.get("--senders"));

        FakeReplicate fake = new FakeReplicate(files);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(2)).build();
        Api api = new Api(http, url);
        long flow = api.post("/api/v1/flows", flow(fake.port(), delay), "Bearer " + admin).path("id").asLong();
        api.post("/api/v1/flows/" + flow + "/publish", "{}", "Bearer " + admin);
        String key = "Basic " + api.post("/api/v1/keys", "{\"name\":\"model-inflight\"}", "Bearer " + admin)
                .path("key").asText();
        Proc idle = Proc.read(pid);
        log("idle server: rss %d MB, threads %d", idle.rssKb / 1024, idle.threads);

        if (warmup > 0) {
            fake.delayMs = 200;
            for (long id : fire(api, flow, key, 0, warmup, senders)) api.waitDone(id, key);
            log("warmup: %d tasks done", warmup);
        }
        fake.delayMs = delay;
        boolean gatedRun = Boolean.parseBoolean(opts.get("--gate"));
        if (gatedRun) {
            synchronized (fake) {
                fake.gate = tasks;
            }
        }
        Proc warm = Proc.read(pid);
        Map<String, Integer> warmThreads = threadsByName(pid);
        double cpuBefore = Proc.cpuSeconds(pid);

        long t0 = System.nanoTime();
        Instant startedAt = Instant.now();
        long[] peak = new long[3];   // rss kB, threads, predictions in flight
        List<String> timeline = new ArrayList<>();
        Map<String, Integer>[] dump = new Map[] {Map.of()};
        AtomicLong sendsDone = new AtomicLong();
        Thread sampler = new Thread(() -> {
            long lastLine = -1;
            boolean dumped = false;
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Proc p = Proc.read(pid);
                    int inFlight = fake.inFlight.get();
                    synchronized (peak) {
                        peak[0] = Math.max(peak[0], p.rssKb);
                        peak[1] = Math.max(peak[1], p.threads);
                        peak[2] = Math.max(peak[2], inFlight);
                    }
                    long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
                    if (seconds != lastLine) {
                        lastLine = seconds;
                        synchronized (timeline) {
                            timeline.add(String.format(Locale.ROOT, "%4d s  %4d / %3d / %d", seconds, inFlight,
                                    p.threads, p.rssKb / 1024));
                        }
                    }
                    boolean late = sendsDone.get() > 0 && System.nanoTime() - sendsDone.get() > delay * 500_000L;
                    if (!dumped && (inFlight >= tasks || late)) {
                        dumped = true;
                        Map<String, Integer> counted = threadsByName(pid);
                        synchronized (dump) {
                            dump[0] = counted;
                        }
                        log("thread dump taken with %d predictions in flight, %d threads, rss %d MB", inFlight,
                                p.threads, p.rssKb / 1024);
                    }
                    Thread.sleep(Long.parseLong(opts.get("--sample-ms")));
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    log("sample failed: %s", e);
                }
            }
        }, "sampler");
        sampler.setDaemon(true);
        sampler.start();
        List<Long> ids = fire(api, flow, key, warmup, tasks, senders);
        long sent = System.nanoTime();
        sendsDone.set(sent);
        long limit = sent + Long.parseLong(opts.get("--timeout-s")) * 1_000_000_000L;
        while (api.finished() < warmup + tasks && System.nanoTime() < limit) Thread.sleep(250);
        double cpu = Proc.cpuSeconds(pid) - cpuBefore;
        sampler.interrupt();
        sampler.join();

        Map<String, Integer> states = new TreeMap<>();
        int wrong = 0;
        Instant lastFinished = startedAt;
        for (long id : ids) {
            JsonNode task = api.get("/api/v1/task/" + id, key);
            states.merge(task.path("state").asText(), 1, Integer::sum);
            JsonNode output = task.path("result").path("output");
            boolean right = files ? output.path(0).asText().startsWith(url + "/api/v1/files/f")
                    && task.path("result").path("files").size() == 1 : output.asText().startsWith("done ");
            if ("completed".equals(task.path("state").asText()) && !right) wrong++;
            if (task.hasNonNull("finished_at")) {
                Instant finished = Instant.parse(task.get("finished_at").asText());
                if (finished.isAfter(lastFinished)) lastFinished = finished;
            }
        }
        Proc end = Proc.read(pid);
        log("threads by name (jcmd Thread.print, digits folded): after warmup -> with the most predictions in flight");
        Map<String, int[]> both = new TreeMap<>();
        warmThreads.forEach((name, count) -> both.computeIfAbsent(name, n -> new int[2])[0] = count);
        dump[0].forEach((name, count) -> both.computeIfAbsent(name, n -> new int[2])[1] = count);
        both.forEach((name, counts) -> log("  %4d -> %4d%s  %s", counts[0], counts[1],
                counts[0] == counts[1] ? "     " : String.format(Locale.ROOT, " (%+d)", counts[1] - counts[0]),
                name.length() > 60 ? name.substring(0, 60) + "..." : name));
        log("  %4d -> %4d total", warmThreads.values().stream().mapToInt(i -> i).sum(),
                dump[0].values().stream().mapToInt(i -> i).sum());
        log("timeline (s since first send: predictions in flight / threads / rss MB):");
        timeline.forEach(line -> log("  %s", line));
        System.out.println(String.format(Locale.ROOT, "{\"tasks\":%d,\"model_delay_ms\":%d,\"output\":\"%s\","
                        + "\"gate\":%s,\"all_in_flight_at_s\":%.2f,\"states\":%s,\"wrong\":%d,\"send_s\":%.2f,\"wall_s\":%.2f,\"server_cpu_s\":%.1f,"
                        + "\"peak_in_flight\":%d,\"creates\":%d,\"reads\":%d,\"downloads\":%d,"
                        + "\"threads\":{\"idle\":%d,\"after_warmup\":%d,\"peak\":%d,\"end\":%d},"
                        + "\"rss_mb\":{\"idle\":%d,\"after_warmup\":%d,\"peak\":%d,\"end\":%d,\"hwm\":%d}}",
                tasks, delay, files ? "file" : "text", gatedRun,
                fake.gateOpened == 0 ? -1.0 : (fake.gateOpened - t0) / 1e9, JSON.writeValueAsString(states), wrong, (sent - t0) / 1e9,
                Duration.between(startedAt, lastFinished).toMillis() / 1000.0, cpu, peak[2], fake.creates.get(),
                fake.reads.get(), fake.downloads.get(), idle.threads, warm.threads, peak[1], end.threads,
                idle.rssKb / 1024, warm.rssKb / 1024, peak[0] / 1024, end.rssKb / 1024, end.hwmKb / 1024));
        fake.server.stop(0);
        System.exit(states.getOrDefault("completed", 0) == tasks && wrong == 0 ? 0 : 1);
    }

    static void log(String format, Object... args) {
        System.err.println(String.format(Locale.ROOT, format, args));
    }

    /** start (input item) -> model (the fake, input {"prompt": "item <n>"}) -> end (output, files). */
    static String flow(int port, long delay) throws IOException {
        ObjectNode doc = JSON.createObjectNode().put("name", "predictions in flight");
        ArrayNode nodes = doc.putArray("nodes");
        ObjectNode start = nodes.addObject().put("id", "start").put("type", "start");
        start.putObject("settings").putObject("inputs").putObject("item").put("type", "string").put("required", true);
        ObjectNode model = nodes.addObject().put("id", "model").put("type", "model")
                .put("timeout_ms", Math.max(120_000, delay * 4));
        model.putObject("settings").put("base_url", "http://127.0.0.1:" + port + "/v1").put("model", "bench/slow")
                .putObject("input").put("prompt", "item {{start.item}}").put("steps", 4);
        ObjectNode outputs = nodes.addObject().put("id", "end").put("type", "end").putObject("settings")
                .putObject("outputs");
        outputs.putObject("output").put("type", "array");
        outputs.putObject("files").put("type", "array");
        ArrayNode edges = doc.putArray("edges");
        edges.addObject().put("from_node", "start").put("to_node", "model").putArray("fields_mapping").addObject()
                .put("from_field", "item").put("to_field", "item");
        ArrayNode mapping = edges.addObject().put("from_node", "model").put("to_node", "end").putArray("fields_mapping");
        mapping.addObject().put("from_field", "output").put("to_field", "output");
        mapping.addObject().put("from_field", "files").put("to_field", "files");
        return JSON.writeValueAsString(doc);
    }

    static List<Long> fire(Api api, long flow, String key, int first, int count, int senders) throws Exception {
        Semaphore open = new Semaphore(senders);
        List<CompletableFuture<Long>> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            open.acquire();
            String body = "{\"node_settings\":{\"start\":{\"data\":{\"item\":\"" + (first + i) + "\"}}}}";
            CompletableFuture<Long> id = api.postAsync("/api/v1/scade/flow/" + flow + "/execute", body, key)
                    .thenApply(task -> task.path("id").asLong());
            id.whenComplete((done, error) -> open.release());
            ids.add(id);
        }
        List<Long> out = new ArrayList<>();
        for (CompletableFuture<Long> id : ids) out.add(id.join());
        return out;
    }

    static Map<String, Integer> threadsByName(long pid) throws Exception {
        Process jcmd = new ProcessBuilder("jcmd", Long.toString(pid), "Thread.print").redirectErrorStream(true).start();
        String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        jcmd.waitFor();
        Map<String, Integer> counted = new TreeMap<>();
        for (String line : out.split("\n")) {
            if (!line.startsWith("\"")) continue;
            counted.merge(line.substring(1, line.indexOf('"', 1)).replaceAll("\\d+", "N"), 1, Integer::sum);
        }
        return counted;
    }

    /** The server's memory and threads, from /proc. */
    record Proc(long rssKb, long hwmKb, int threads) {
        static Proc read(long pid) throws IOException {
            long rss = 0, hwm = 0;
            int threads = 0;
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) rss = number(line);
                else if (line.startsWith("VmHWM:")) hwm = number(line);
                else if (line.startsWith("Threads:")) threads = (int) number(line);
            }
            return new Proc(rss, hwm, threads);
        }

        static double cpuSeconds(long pid) throws IOException {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(rest[11]) + Long.parseLong(rest[12])) / 100.0;
        }

        static long number(String line) {
            return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
    }

    /** The management and run API over one HTTP/1.1 client. */
    record Api(HttpClient http, String url) {
        JsonNode post(String path, String body, String auth) throws Exception {
            return postAsync(path, body, auth).get(60, TimeUnit.SECONDS);
        }

        CompletableFuture<JsonNode> postAsync(String path, String body, String auth) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(60))
                    .header("Authorization", auth).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
                if (response.statusCode() / 100 != 2) {
                    throw new IllegalStateException("POST " + path + " answered " + response.statusCode() + ": "
                            + response.body());
                }
                try {
                    return JSON.readTree(response.body());
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        JsonNode get(String path, String auth) throws Exception {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(60))
                    .header("Authorization", auth).build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            return JSON.readTree(response.body());
        }

        void waitDone(long id, String auth) throws Exception {
            while (get("/api/v1/task/" + id + "?wait=30", auth).path("status").asInt() < 3) {
                // still running: wait again
            }
        }

        long finished() throws Exception {
            String text = http.send(HttpRequest.newBuilder(URI.create(url + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            double sum = 0;
            for (String line : text.split("\n")) {
                if (line.startsWith("weft_tasks_finished_total ") || line.startsWith("weft_tasks_finished_total{")) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return (long) sum;
        }
    }

    /**
     * Replicate's prediction API, slow: a prediction is {@code processing} until {@code delayMs} after its create,
     * then {@code succeeded}. Every request is answered at once on the server's one dispatcher thread.
     */
    static final class FakeReplicate {
        final HttpServer server;
        final boolean files;
        volatile long delayMs;
        final Map<String, Long> endsAt = new ConcurrentHashMap<>();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicLong ids = new AtomicLong();
        final AtomicLong creates = new AtomicLong();
        final AtomicLong reads = new AtomicLong();
        final AtomicLong downloads = new AtomicLong();
        final List<String> gated = new ArrayList<>();
        int gate;
        volatile long gateOpened;

        FakeReplicate(boolean files) throws IOException {
            this.files = files;
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
            server.createContext("/v1/", this::api);
            server.createContext("/delivery/", this::file);
            server.setExecutor(null);   // the one dispatcher thread; no handler blocks
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        String base() {
            return "http://127.0.0.1:" + port();
        }

        private void api(HttpExchange exchange) throws IOException {
            String path = exchange.getRequestURI().getPath();
            if ("POST".equals(exchange.getRequestMethod()) && path.endsWith("/predictions")) {
                JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
                String id = "p" + Long.toString(ids.incrementAndGet(), 36) + "bench";
                creates.incrementAndGet();
                inFlight.incrementAndGet();
                synchronized (this) {
                    if (gate > 0) {
                        // held until the gate's last create: then every held prediction ends delayMs from now
                        endsAt.put(id, Long.MAX_VALUE);
                        gated.add(id);
                        if (gated.size() >= gate) {
                            long ends = System.nanoTime() + delayMs * 1_000_000L;
                            gated.forEach(held -> endsAt.put(held, ends));
                            log("fake: all %d predictions created and in flight; each ends %d ms from now",
                                    gated.size(), delayMs);
                            gateOpened = System.nanoTime();
                            gated.clear();
                            gate = 0;
                        }
                    } else {
                        endsAt.put(id, System.nanoTime() + delayMs * 1_000_000L);
                    }
                }
                ObjectNode prediction = prediction(id, "starting");
                prediction.set("input", body.path("input"));
                send(exchange, 201, prediction);
                return;
            }
            if ("GET".equals(exchange.getRequestMethod()) && path.startsWith("/v1/predictions/")) {
                String id = path.substring("/v1/predictions/".length());
                Long ends = endsAt.get(id);
                if (ends == null) {
                    send(exchange, 404, JSON.createObjectNode().put("detail", "Not found."));
                    return;
                }
                reads.incrementAndGet();
                if (System.nanoTime() < ends) {
                    send(exchange, 200, prediction(id, "processing"));
                    return;
                }
                if (ends != Long.MIN_VALUE && endsAt.replace(id, ends, Long.MIN_VALUE)) inFlight.decrementAndGet();
                ObjectNode done = prediction(id, "succeeded");
                if (files) done.putArray("output").add(base() + "/delivery/" + id + ".png");
                else done.put("output", "done " + id);
                done.putObject("metrics").put("predict_time", delayMs / 1000.0);
                send(exchange, 200, done);
                return;
            }
            send(exchange, 404, JSON.createObjectNode().put("detail", "Not found."));
        }

        private ObjectNode prediction(String id, String status) {
            ObjectNode p = JSON.createObjectNode().put("id", id).put("model", "bench/slow").put("version", "v1")
                    .put("status", status).put("logs", "").putNull("output").putNull("error")
                    .put("created_at", Instant.now().toString());
            p.putObject("urls").put("get", base() + "/v1/predictions/" + id)
                    .put("cancel", base() + "/v1/predictions/" + id + "/cancel");
            return p;
        }

        private void file(HttpExchange exchange) throws IOException {
            downloads.incrementAndGet();
            exchange.getResponseHeaders().set("Content-Type", "image/png");
            exchange.sendResponseHeaders(200, PNG.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(PNG);
            }
        }

        private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
            byte[] bytes = JSON.writeValueAsBytes(body);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
