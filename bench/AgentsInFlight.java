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
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Many {@code agent} tasks in flight at once against a slow fake model (issue 11: "1,000 agent tasks in flight, each
 * waiting on a fake model that answers in 2 s: all finish, no thread per waiting call, server RSS within 500 MB").
 *
 * <p>The fake is an OpenAI-compatible chat-completions endpoint on loopback, in this process, that answers every
 * request exactly --delay-ms after it arrived without a thread per waiting request (the JDK HttpServer's one
 * dispatcher thread takes the request; a two-thread scheduler writes the answer later). It speaks the real wire
 * format: with {@code "stream": true} a server-sent-events answer ({@code chat.completion.chunk} lines, the usage
 * chunk that {@code stream_options.include_usage} asks for, {@code data: [DONE]}), else one {@code chat.completion}
 * JSON. With --mode tool (default) each task's agent makes two model calls: the first is answered with one call of
 * the flow's HTTP tool {@code price} (served by the same fake at once, {@code GET /tool/<item>}), the second, which
 * carries the tool's result, with the text {@code "Item <n> costs <price>."}; --mode text answers the first call
 * with that text (no tool). Each task's result is checked against it.
 *
 * <p>With --gate true (default) the fake holds the first model call of each of the --tasks tasks until all of them
 * have arrived, and answers each --delay-ms after that: every task is then in flight at once however slowly the
 * server accepts executes (on a shared 2-core box the accept rate, not the waiting, bounds how many overlap when
 * each call takes only 2 s). With --gate false every call is answered --delay-ms after it arrived. --model-host
 * names the fake in the flow's URLs (default 127.0.0.1; {@code localhost} makes every call look the name up first).
 *
 * <p>It publishes the flow {@code start -> agent -> end} through the management API (admin token), makes a server
 * key, runs --warmup tasks and waits for them, then sends --tasks executes as fast as the server accepts them (at most
 * --senders requests open at once), and samples every --sample-ms until all have finished: the server's VmRSS,
 * VmHWM and Threads ({@code /proc/<pid>/status}), the requests the fake holds unanswered, and the server's
 * {@code weft_worker_busy_slots}. It counts the server's threads by name ({@code jcmd <pid> Thread.print}) after the
 * warm-up and again when the fake first holds every task's request at once (or, without the gate, half a delay after
 * the sends are done), with the heap in use then ({@code jcmd <pid> GC.heap_info}), and prints both side by side.
 * Then it reads every task ({@code GET /api/v1/task/{id}}). Prints a summary and one JSON line; exits 1 unless every
 * task completed with the right answer.
 *
 *   java -cp server/target/weft.jar bench/AgentsInFlight.java --url http://127.0.0.1:18090 --admin TOKEN --pid PID \
 *     [--tasks 1000] [--delay-ms 2000] [--mode tool|text] [--stream true|false] [--gate true|false] [--warmup 20]
 *     [--senders 16] [--model-host 127.0.0.1]
 */
public class AgentsInFlight {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern ITEM = Pattern.compile("item (\\d+)");
    static final Pattern PRICE = Pattern.compile("\"price\"\\s*:\\s*(\\d+)");

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>(Map.of("--tasks", "1000", "--delay-ms", "2000", "--mode", "tool",
                "--stream", "true", "--warmup", "20", "--senders", "16", "--sample-ms", "100", "--timeout-s", "600",
                "--gate", "true", "--model-host", "127.0.0.1"));
        for (int i = 0; i + 1 < args.length; i += 2) opts.put(args[i], args[i + 1]);
        String url = opts.get("--url");
        String admin = opts.get("--admin");
        long pid = Long.parseLong(opts.get("--pid"));
        int tasks = Integer.parseInt(opts.get("--tasks"));
        int warmup = Integer.parseInt(opts.get("--warmup"));
        long delay = Long.parseLong(opts.get("--delay-ms"));
        boolean toolMode = opts.get("--mode").equals("tool");
        boolean stream = Boolean.parseBoolean(opts.get("--stream"));

        FakeModel fake = new FakeModel(delay, toolMode);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(2)).build();
        Api api = new Api(http, url, admin);

        String document = flow(opts.get("--model-host"), fake.port(), stream);
        long flow = api.post("/api/v1/flows", document, "Bearer " + admin).path("id").asLong();
        api.post("/api/v1/flows/" + flow + "/publish", "{}", "Bearer " + admin);
        String key = api.post("/api/v1/keys", "{\"name\":\"inflight\"}", "Bearer " + admin).path("key").asText();
        Proc idle = Proc.read(pid);
        log("idle server: rss %d MB, threads %d", idle.rssKb / 1024, idle.threads);

        if (warmup > 0) {
            List<Long> warm = fire(api, flow, key, 0, warmup, Integer.parseInt(opts.get("--senders")));
            for (long id : warm) api.waitDone(id, "Basic " + key);
            log("warmup: %d tasks done", warmup);
        }
        Proc warm = Proc.read(pid);
        Map<String, Integer> warmThreads = Sampler.threadsByName(pid);
        fake.resetPeak();
        boolean gated = Boolean.parseBoolean(opts.get("--gate"));
        int slots = (int) Api.metric(api.metrics(), "weft_worker_slots");
        if (gated && slots < tasks) {
            log("the server runs at most %d tasks at once (WEFT_WORKER_SLOTS): the gate would wait for %d forever;"
                    + " raise the slots or pass --gate false", slots, tasks);
            System.exit(2);
        }
        if (gated) fake.gate(tasks);
        double cpuBefore = Proc.cpuSeconds(pid);

        Sampler sampler = new Sampler(pid, fake, api, Long.parseLong(opts.get("--sample-ms")), tasks);
        Thread sampling = new Thread(sampler, "sampler");
        sampling.setDaemon(true);
        sampling.start();
        long started = System.nanoTime();
        Instant startedAt = Instant.now();
        List<Long> ids = fire(api, flow, key, warmup, tasks, Integer.parseInt(opts.get("--senders")));
        long sent = System.nanoTime();
        sampler.sendsDone(sent);
        long finishedTarget = warmup + tasks;
        long limit = sent + Long.parseLong(opts.get("--timeout-s")) * 1_000_000_000L;
        while (api.finished() < finishedTarget && System.nanoTime() < limit) Thread.sleep(250);
        long observed = System.nanoTime();
        double cpu = Proc.cpuSeconds(pid) - cpuBefore;
        sampler.stop();
        sampling.join();

        Map<String, Integer> states = new TreeMap<>();
        int wrong = 0;
        Instant lastFinished = startedAt;
        List<Long> durations = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            JsonNode task = api.get("/api/v1/task/" + ids.get(i), "Basic " + key);
            states.merge(task.path("state").asText(), 1, Integer::sum);
            String expected = "Item " + (warmup + i) + " costs " + FakeModel.price(warmup + i) + ".";
            if ("completed".equals(task.path("state").asText())
                    && !expected.equals(task.path("result").path("answer").asText())) wrong++;
            if (task.hasNonNull("finished_at")) {
                Instant finished = Instant.parse(task.get("finished_at").asText());
                if (finished.isAfter(lastFinished)) lastFinished = finished;
                durations.add(Duration.between(Instant.parse(task.get("created_at").asText()), finished).toMillis());
            }
        }
        long[] sorted = durations.stream().mapToLong(Long::longValue).sorted().toArray();
        double wall = Duration.between(startedAt, lastFinished).toMillis() / 1000.0;
        Proc end = Proc.read(pid);

        log("threads by name (jcmd Thread.print, digits folded): after warmup -> with every task held at the model");
        Map<String, Integer> peakThreads = sampler.dump();
        Map<String, int[]> both = new TreeMap<>();
        warmThreads.forEach((name, count) -> both.computeIfAbsent(name, n -> new int[2])[0] = count);
        peakThreads.forEach((name, count) -> both.computeIfAbsent(name, n -> new int[2])[1] = count);
        both.forEach((name, counts) -> log("  %4d -> %4d%s  %s", counts[0], counts[1],
                counts[0] == counts[1] ? "     " : String.format(Locale.ROOT, " (%+d)", counts[1] - counts[0]),
                name.length() > 60 ? name.substring(0, 60) + "..." : name));
        log("  %4d -> %4d total", warmThreads.values().stream().mapToInt(i -> i).sum(),
                peakThreads.values().stream().mapToInt(i -> i).sum());
        String summary = String.format(Locale.ROOT, "{\"tasks\":%d,\"model_delay_ms\":%d,\"mode\":\"%s\",\"stream\":%s,"
                        + "\"gate\":%s,\"all_held_at_s\":%.2f,\"server_cpu_s\":%.1f,\"server_cpu_ms_per_task\":%.1f,"
                        + "\"states\":%s,\"wrong_answers\":%d,\"send_s\":%.2f,\"wall_s\":%.2f,\"observed_s\":%.2f,"
                        + "\"task_ms\":{\"min\":%d,\"p50\":%d,\"p99\":%d,\"max\":%d},"
                        + "\"model_requests\":%d,\"tool_calls\":%d,\"peak_in_flight_at_model\":%d,"
                        + "\"peak_busy_slots\":%d,\"threads\":{\"idle\":%d,\"after_warmup\":%d,\"peak\":%d,\"end\":%d},"
                        + "\"rss_mb\":{\"idle\":%d,\"after_warmup\":%d,\"peak\":%d,\"end\":%d,\"hwm\":%d},"
                        + "\"heap_used_mb_all_held\":%d}",
                tasks, delay, toolMode ? "tool" : "text", stream, gated,
                fake.gateOpened == 0 ? -1.0 : (fake.gateOpened - started) / 1e9, cpu, cpu * 1000 / tasks,
                JSON.writeValueAsString(states), wrong,
                (sent - started) / 1e9, wall, (observed - started) / 1e9,
                at(sorted, 0), at(sorted, 0.5), at(sorted, 0.99), at(sorted, 1), fake.requests.get(),
                fake.toolCalls.get(), fake.peak.get(), sampler.peakBusy, idle.threads, warm.threads,
                sampler.peakThreads, end.threads, idle.rssKb / 1024, warm.rssKb / 1024, sampler.peakRssKb / 1024,
                end.rssKb / 1024, end.hwmKb / 1024, sampler.heapUsedKb / 1024);
        log("in-flight timeline (s since first send: held at model / busy slots / threads / rss MB):");
        sampler.timeline.forEach(line -> log("  %s", line));
        System.out.println(summary);
        fake.stop();
        System.exit(states.getOrDefault("completed", 0) == tasks && wrong == 0 ? 0 : 1);
    }

    static long at(long[] sorted, double q) {
        return sorted.length == 0 ? -1 : sorted[(int) Math.min(sorted.length - 1, Math.round(q * (sorted.length - 1)))];
    }

    static void log(String format, Object... args) {
        System.err.println(String.format(Locale.ROOT, format, args));
    }

    /** The flow: start (input item) -> agent (the fake model, one HTTP tool) -> end (answer, iterations). */
    static String flow(String host, int port, boolean stream) throws IOException {
        ObjectNode doc = JSON.createObjectNode().put("name", "agents in flight");
        ArrayNode nodes = doc.putArray("nodes");
        ObjectNode start = nodes.addObject().put("id", "start").put("type", "start");
        start.putObject("settings").putObject("inputs").putObject("item").put("type", "string").put("required", true);
        ObjectNode agent = nodes.addObject().put("id", "agent").put("type", "agent").put("timeout_ms", 605_000);
        ObjectNode settings = agent.putObject("settings").put("provider", "openai")
                .put("base_url", "http://" + host + ":" + port + "/v1").put("model", "fake-slow")
                .put("system", "You price items. Use the price tool.").put("user", "What does item {{start.item}} cost?")
                .put("max_iterations", 4).put("timeout_ms", 600_000).put("stream", stream);
        ObjectNode tool = settings.putArray("tools").addObject().put("type", "http").put("name", "price")
                .put("description", "The price of an item, by its number.").put("method", "GET")
                .put("url", "http://" + host + ":" + port + "/tool/{{item}}");
        ObjectNode parameters = tool.putObject("parameters").put("type", "object");
        parameters.putArray("required").add("item");
        parameters.putObject("properties").putObject("item").put("type", "string").put("description", "the item's number");
        ObjectNode outputs = nodes.addObject().put("id", "end").put("type", "end").putObject("settings").putObject("outputs");
        outputs.putObject("answer").put("type", "string");
        outputs.putObject("iterations").put("type", "integer");
        ArrayNode edges = doc.putArray("edges");
        edges.addObject().put("from_node", "start").put("to_node", "agent").putArray("fields_mapping").addObject()
                .put("from_field", "item").put("to_field", "item");
        ArrayNode mapping = edges.addObject().put("from_node", "agent").put("to_node", "end").putArray("fields_mapping");
        mapping.addObject().put("from_field", "text").put("to_field", "answer");
        mapping.addObject().put("from_field", "iterations").put("to_field", "iterations");
        return JSON.writeValueAsString(doc);
    }

    /** Sends executes for items first..first+count-1, at most {@code senders} open at once; the task ids in order. */
    static List<Long> fire(Api api, long flow, String key, int first, int count, int senders) throws Exception {
        Semaphore open = new Semaphore(senders);
        List<CompletableFuture<Long>> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            open.acquire();
            String body = "{\"node_settings\":{\"start\":{\"data\":{\"item\":\"" + (first + i) + "\"}}}}";
            CompletableFuture<Long> id = api.postAsync("/api/v1/scade/flow/" + flow + "/execute", body, "Basic " + key)
                    .thenApply(task -> task.path("id").asLong());
            id.whenComplete((done, error) -> open.release());
            ids.add(id);
        }
        List<Long> out = new ArrayList<>();
        for (CompletableFuture<Long> id : ids) out.add(id.join());
        return out;
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

        /** User and system CPU time of the process so far (clock ticks of 10 ms). */
        static double cpuSeconds(long pid) throws IOException {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(rest[11]) + Long.parseLong(rest[12])) / 100.0;
        }

        static long number(String line) {
            return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
    }

    /** Samples the server and the fake until stopped; takes one thread dump when every task is held at the model. */
    static final class Sampler implements Runnable {
        final long pid;
        final FakeModel fake;
        final Api api;
        final long everyMs;
        final int tasks;
        final List<String> timeline = new ArrayList<>();
        volatile boolean stopped;
        volatile long sendsDone;
        long peakRssKb;
        int peakThreads;
        int peakBusy;
        Map<String, Integer> dump = Map.of();
        volatile long heapUsedKb = -1;
        boolean dumped;

        Sampler(long pid, FakeModel fake, Api api, long everyMs, int tasks) {
            this.pid = pid;
            this.fake = fake;
            this.api = api;
            this.everyMs = everyMs;
            this.tasks = tasks;
        }

        void sendsDone(long at) {
            sendsDone = at;
        }

        void stop() {
            stopped = true;
        }

        synchronized Map<String, Integer> dump() {
            return dump;
        }

        @Override
        public void run() {
            long t0 = System.nanoTime();
            long lastLine = -1;
            while (!stopped) {
                try {
                    Proc p = Proc.read(pid);
                    int held = fake.inFlight.get();
                    int busy = api.busySlots();
                    peakRssKb = Math.max(peakRssKb, p.rssKb);
                    peakThreads = Math.max(peakThreads, p.threads);
                    peakBusy = Math.max(peakBusy, busy);
                    long halves = (System.nanoTime() - t0) / 500_000_000L;
                    if (halves != lastLine) {
                        lastLine = halves;
                        timeline.add(String.format(Locale.ROOT, "%5.1f  %4d / %4d / %3d / %d",
                                (System.nanoTime() - t0) / 1e9, held, busy, p.threads, p.rssKb / 1024));
                    }
                    boolean late = sendsDone > 0 && System.nanoTime() - sendsDone > fake.delayMs * 500_000L;
                    if (!dumped && (held >= tasks || late)) {
                        dumped = true;
                        Map<String, Integer> counted = threadsByName(pid);
                        synchronized (this) {
                            dump = counted;
                        }
                        heapUsedKb = heapUsedKb(pid);
                        log("thread dump taken with %d requests held at the model, %d threads, %d MB of heap used",
                                held, p.threads, heapUsedKb / 1024);
                    }
                    Thread.sleep(everyMs);
                } catch (Exception e) {
                    log("sample failed: %s", e);
                }
            }
        }

        /** The Java heap in use ({@code jcmd <pid> GC.heap_info}: the generations' "used"), live and garbage. */
        static long heapUsedKb(long pid) throws Exception {
            Process jcmd = new ProcessBuilder("jcmd", Long.toString(pid), "GC.heap_info").redirectErrorStream(true).start();
            String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            jcmd.waitFor();
            long used = 0;
            Matcher m = Pattern.compile("(?m)^\\s*\\S.*(?:generation|heap)\\s+total \\d+K, used (\\d+)K").matcher(out);
            while (m.find()) used += Long.parseLong(m.group(1));
            return used;
        }

        static Map<String, Integer> threadsByName(long pid) throws Exception {
            Process jcmd = new ProcessBuilder("jcmd", Long.toString(pid), "Thread.print").redirectErrorStream(true).start();
            String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            jcmd.waitFor();
            Map<String, Integer> counted = new TreeMap<>();
            for (String line : out.split("\n")) {
                if (!line.startsWith("\"")) continue;
                String name = line.substring(1, line.indexOf('"', 1)).replaceAll("\\d+", "N");
                counted.merge(name, 1, Integer::sum);
            }
            return counted;
        }
    }

    /** The management and run API over one HTTP/1.1 client. */
    record Api(HttpClient http, String url, String admin) {
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
                throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
            }
            return JSON.readTree(response.body());
        }

        void waitDone(long id, String auth) throws Exception {
            while (get("/api/v1/task/" + id + "?wait=30", auth).path("status").asInt() < 3) {
                // 202: still running; wait again
            }
        }

        String metrics() throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create(url + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }

        int busySlots() throws Exception {
            return (int) metric(metrics(), "weft_worker_busy_slots");
        }

        /** Tasks this process finished, in any state. */
        long finished() throws Exception {
            return (long) metric(metrics(), "weft_tasks_finished_total");
        }

        static double metric(String text, String name) {
            double sum = 0;
            for (String line : text.split("\n")) {
                if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return sum;
        }
    }

    /**
     * A slow OpenAI-compatible model on loopback: every chat completion is answered {@code delayMs} after it
     * arrived, by a scheduler, so a waiting request holds no thread here either; {@code GET /tool/<n>} answers at once.
     */
    static final class FakeModel {
        final long delayMs;
        final boolean toolMode;
        final HttpServer server;
        final ScheduledExecutorService later = Executors.newScheduledThreadPool(2);
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger peak = new AtomicInteger();
        final AtomicLong requests = new AtomicLong();
        final AtomicLong toolCalls = new AtomicLong();
        final AtomicLong ids = new AtomicLong();
        final List<Runnable> gated = new ArrayList<>();
        int gate;
        volatile long gateOpened;

        FakeModel(long delayMs, boolean toolMode) throws IOException {
            this.delayMs = delayMs;
            this.toolMode = toolMode;
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
            server.createContext("/v1/chat/completions", this::chat);
            server.createContext("/tool/", this::tool);
            server.setExecutor(null);   // handlers run on the one dispatcher thread and never block it
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        void resetPeak() {
            peak.set(inFlight.get());
        }

        void stop() {
            server.stop(0);
            later.shutdownNow();
        }

        static long price(int item) {
            return 100 + item % 900;
        }

        private void tool(HttpExchange exchange) throws IOException {
            toolCalls.incrementAndGet();
            String item = exchange.getRequestURI().getPath().substring("/tool/".length());
            byte[] body = ("{\"item\":\"" + item + "\",\"price\":" + price(Integer.parseInt(item)) + ",\"currency\":\"EUR\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }

        private void chat(HttpExchange exchange) throws IOException {
            JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
            requests.incrementAndGet();
            int now = inFlight.incrementAndGet();
            peak.accumulateAndGet(now, Math::max);
            Runnable reply = () -> {
                try {
                    answer(exchange, request);
                } catch (Exception e) {
                    log("fake model: answer failed: %s", e);
                } finally {
                    inFlight.decrementAndGet();
                    exchange.close();
                }
            };
            boolean first = true;
            for (JsonNode m : request.path("messages")) first &= !"tool".equals(m.path("role").asText());
            synchronized (this) {
                if (gate > 0 && first) {
                    gated.add(reply);
                    if (gated.size() < gate) return;
                    gate = 0;
                    gateOpened = System.nanoTime();
                    log("fake model: all %d first calls held at once; answering each %d ms from now", gated.size(), delayMs);
                    for (Runnable r : gated) later.schedule(r, delayMs, TimeUnit.MILLISECONDS);
                    gated.clear();
                    return;
                }
            }
            later.schedule(reply, delayMs, TimeUnit.MILLISECONDS);
        }

        /** Holds the first model call of each of the next {@code n} tasks until all have arrived (0: no gate). */
        synchronized void gate(int n) {
            gate = n;
        }

        private void answer(HttpExchange exchange, JsonNode request) throws IOException {
            JsonNode messages = request.path("messages");
            String item = null;
            String price = null;
            for (JsonNode m : messages) {
                String content = m.path("content").asText("");
                if ("user".equals(m.path("role").asText())) {
                    Matcher matcher = ITEM.matcher(content);
                    if (matcher.find()) item = matcher.group(1);
                } else if ("tool".equals(m.path("role").asText())) {
                    Matcher matcher = PRICE.matcher(content);
                    if (matcher.find()) price = matcher.group(1);
                }
            }
            if (item == null) {
                send(exchange, 400, "application/json", "{\"error\":{\"message\":\"no item asked\",\"type\":\"invalid_request_error\"}}");
                return;
            }
            String text = null;
            String callId = null;
            if (!toolMode || price != null) {
                text = "Item " + item + " costs " + (price != null ? price : Long.toString(price(Integer.parseInt(item)))) + ".";
            } else {
                callId = "call_" + ids.incrementAndGet();
            }
            String id = "chatcmpl-" + ids.incrementAndGet();
            long created = System.currentTimeMillis() / 1000;
            String args = "{\"item\":\"" + item + "\"}";
            int promptTokens = 40 + 12 * messages.size();
            int completionTokens = text != null ? 7 : 12;
            String usage = "{\"prompt_tokens\":" + promptTokens + ",\"completion_tokens\":" + completionTokens
                    + ",\"total_tokens\":" + (promptTokens + completionTokens) + "}";
            if (!request.path("stream").asBoolean()) {
                ObjectNode body = JSON.createObjectNode().put("id", id).put("object", "chat.completion")
                        .put("created", created).put("model", "fake-slow-1");
                ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
                ObjectNode message = choice.putObject("message").put("role", "assistant");
                if (text != null) {
                    message.put("content", text);
                } else {
                    message.putNull("content");
                    message.putArray("tool_calls").addObject().put("id", callId).put("type", "function")
                            .putObject("function").put("name", "price").put("arguments", args);
                }
                message.putNull("refusal");
                choice.putNull("logprobs").put("finish_reason", text != null ? "stop" : "tool_calls");
                body.set("usage", JSON.readTree(usage));
                send(exchange, 200, "application/json", JSON.writeValueAsString(body));
                return;
            }
            // OpenAI's chat streaming reference: every event a "data: <chunk>" line and a blank line; the first delta
            // carries the role; tool calls come as delta.tool_calls pieces keyed by index (id and name first, then
            // argument fragments); with stream_options.include_usage every chunk has "usage": null and a last chunk
            // with "choices": [] carries the usage, before "data: [DONE]".
            StringBuilder sse = new StringBuilder();
            String head = "data: {\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"created\":" + created
                    + ",\"model\":\"fake-slow-1\",\"system_fingerprint\":\"fp_fake\",\"choices\":";
            if (text != null) {
                sse.append(head).append("[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},"
                        + "\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
                int cut = text.indexOf(" costs");
                for (String piece : new String[] {text.substring(0, cut), text.substring(cut)}) {
                    sse.append(head).append("[{\"index\":0,\"delta\":{\"content\":").append(JSON.writeValueAsString(piece))
                            .append("},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
                }
                sse.append(head).append("[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":null}\n\n");
            } else {
                sse.append(head).append("[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,"
                        + "\"id\":\"").append(callId).append("\",\"type\":\"function\",\"function\":{\"name\":\"price\","
                        + "\"arguments\":\"\"}}],\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
                sse.append(head).append("[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":")
                        .append(JSON.writeValueAsString(args)).append("}}]},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
                sse.append(head).append("[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"tool_calls\"}],\"usage\":null}\n\n");
            }
            if (request.path("stream_options").path("include_usage").asBoolean()) {
                sse.append(head).append("[],\"usage\":").append(usage).append("}\n\n");
            }
            sse.append("data: [DONE]\n\n");
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-cache");
            exchange.sendResponseHeaders(200, 0);   // chunked, as a stream is sent
            OutputStream out = exchange.getResponseBody();
            out.write(sse.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }
}
