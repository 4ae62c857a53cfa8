import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many {@code image} tasks in flight at once against a slow fake images API (issue 13: "no thread held while a
 * prediction runs: 1,000 in flight on a fake that answers in 30 s: RSS ≤ 500 MB").
 *
 * <p>The fake is OpenAI's {@code POST /v1/images/generations} on loopback, in this process: it answers every request
 * exactly --delay-ms after it arrived with {@code {"created", "data": [{"b64_json": <a 1 KB PNG>}]}}, without a thread
 * per waiting request (the JDK HttpServer's one dispatcher thread takes the request, a two-thread scheduler writes
 * the answer later). The tool publishes {@code start -> image -> end} through the management API, runs --warmup tasks,
 * then sends --tasks executes (at most --senders open at once) and samples the server's VmRSS, VmHWM and Threads
 * ({@code /proc/<pid>/status}) every 200 ms with the number of requests the fake holds, until every request was
 * answered; then it reads every task and downloads the first task's image. Prints a summary and one JSON line; exits
 * 1 unless every task completed with an image that downloads as the fake's PNG.
 *
 *   java -cp server/target/weft.jar bench/ImagesInFlight.java --url http://127.0.0.1:18091 --admin TOKEN --pid PID \
 *     [--tasks 1000] [--delay-ms 30000] [--warmup 10] [--senders 16]
 */
public class ImagesInFlight {

    static final ObjectMapper JSON = new ObjectMapper();
    /** A 1x1 PNG, as small as an answer gets: the figure is about waiting, not about image sizes. */
    static final byte[] PNG = Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC");

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>(Map.of("--tasks", "1000", "--delay-ms", "30000", "--warmup", "10",
                "--senders", "16"));
        for (int i = 0; i + 1 < args.length; i += 2) opts.put(args[i], args[i + 1]);
        String url = opts.get("--url");
        String admin = "Bearer " + opts.get("--admin");
        long pid = Long.parseLong(opts.get("--pid"));
        int tasks = Integer.parseInt(opts.get("--tasks"));
        int warmup = Integer.parseInt(opts.get("--warmup"));
        long delay = Long.parseLong(opts.get("--delay-ms"));
        int senders = Integer.parseInt(opts.get("--senders"));

        Fake fake = new Fake(delay);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(2)).build();
        String flow = """
                {"name": "images in flight", "nodes": [
                  {"id": "start", "type": "start", "settings": {"inputs": {"prompt": {"type": "string", "required": true}}}},
                  {"id": "draw", "type": "image", "settings": {"base_url": "http://127.0.0.1:%d/v1", "prompt": "{{start.prompt}}",
                    "size": "1024x1024", "timeout_ms": %d}, "timeout_ms": %d},
                  {"id": "end", "type": "end", "settings": {"outputs": {"image": {"type": "string"}}}}],
                 "edges": [
                  {"from_node": "start", "to_node": "draw", "fields_mapping": [{"from_field": "prompt", "to_field": "prompt"}]},
                  {"from_node": "draw", "to_node": "end", "fields_mapping": [{"from_field": "image", "to_field": "image"}]}]}"""
                .formatted(fake.port(), delay + 120_000, delay + 125_000);
        long flowId = post(http, url + "/api/v1/flows", flow, admin).path("id").asLong();
        post(http, url + "/api/v1/flows/" + flowId + "/publish", "{}", admin);
        String key = "Basic " + post(http, url + "/api/v1/keys", "{\"name\":\"images\"}", admin).path("key").asText();
        Proc idle = Proc.read(pid);

        List<Long> warm = fire(http, url, flowId, key, 0, warmup, senders);
        fake.awaitAnswered(warmup);
        for (long id : warm) waitDone(http, url, id, key);
        Proc warmed = Proc.read(pid);
        log("idle: rss %d MB, %d threads; after %d warm-up tasks: rss %d MB, %d threads", idle.rssKb / 1024,
                idle.threads, warmup, warmed.rssKb / 1024, warmed.threads);

        Sampler sampler = new Sampler(pid, fake);
        Thread sampling = new Thread(sampler, "sampler");
        sampling.setDaemon(true);
        sampling.start();
        long started = System.nanoTime();
        List<Long> ids = fire(http, url, flowId, key, warmup, tasks, senders);
        long sent = System.nanoTime();
        fake.awaitAnswered(warmup + tasks);
        Map<String, Integer> states = new TreeMap<>();
        for (long id : ids) states.merge(waitDone(http, url, id, key), 1, Integer::sum);
        long done = System.nanoTime();
        sampler.stop();
        sampling.join();

        JsonNode first = get(http, url + "/api/v1/task/" + ids.get(0), key);
        byte[] image = http.send(HttpRequest.newBuilder(URI.create(first.path("result").path("image").asText())).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body();
        boolean ok = states.getOrDefault("completed", 0) == tasks && java.util.Arrays.equals(image, PNG);
        log("%d tasks sent in %.1f s, all answered and read %.1f s after the first send; states %s", tasks,
                (sent - started) / 1e9, (done - started) / 1e9, states);
        log("most requests held by the fake at once: %d (delay %d ms); then the server had %d threads (idle %d, warm"
                + " %d) and rss %d MB", sampler.peakHeld, delay, sampler.threadsAtPeak, idle.threads, warmed.threads,
                sampler.rssAtPeakKb / 1024);
        log("server peak over the run: rss %d MB (VmHWM %d MB), %d threads", sampler.maxRssKb / 1024,
                sampler.maxHwmKb / 1024, sampler.maxThreads);
        System.out.printf("{\"tasks\": %d, \"delay_ms\": %d, \"completed\": %d, \"peak_held\": %d, \"threads_idle\": %d,"
                        + " \"threads_warm\": %d, \"threads_at_peak\": %d, \"threads_max\": %d, \"rss_at_peak_mb\": %d,"
                        + " \"rss_max_mb\": %d, \"hwm_mb\": %d, \"image_ok\": %b}%n", tasks, delay,
                states.getOrDefault("completed", 0), sampler.peakHeld, idle.threads, warmed.threads,
                sampler.threadsAtPeak, sampler.maxThreads, sampler.rssAtPeakKb / 1024, sampler.maxRssKb / 1024,
                sampler.maxHwmKb / 1024, java.util.Arrays.equals(image, PNG));
        fake.stop();
        System.exit(ok ? 0 : 1);
    }

    static List<Long> fire(HttpClient http, String url, long flow, String key, int first, int count, int senders)
            throws Exception {
        Semaphore open = new Semaphore(senders);
        List<CompletableFuture<Long>> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            open.acquire();
            String body = "{\"node_settings\":{\"start\":{\"data\":{\"prompt\":\"picture " + (first + i) + "\"}}}}";
            CompletableFuture<Long> id = http.sendAsync(request(url + "/api/v1/scade/flow/" + flow + "/execute", body,
                    key), HttpResponse.BodyHandlers.ofString()).thenApply(r -> {
                if (r.statusCode() != 200) throw new IllegalStateException("execute answered " + r.statusCode() + ": " + r.body());
                return read(r.body()).path("id").asLong();
            });
            id.whenComplete((done, error) -> open.release());
            ids.add(id);
        }
        List<Long> out = new ArrayList<>();
        for (CompletableFuture<Long> id : ids) out.add(id.join());
        return out;
    }

    /** Polls a task until it is finished; returns its state. */
    static String waitDone(HttpClient http, String url, long id, String key) throws Exception {
        for (int i = 0; i < 600; i++) {
            JsonNode task = get(http, url + "/api/v1/task/" + id, key);
            if (task.path("status").asInt() >= 3) return task.path("state").asText();
            Thread.sleep(100);
        }
        return "unfinished";
    }

    static HttpRequest request(String url, String body, String auth) {
        return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .header("Authorization", auth).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    static JsonNode post(HttpClient http, String url, String body, String auth) throws Exception {
        HttpResponse<String> r = http.send(request(url, body, auth), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        return read(r.body());
    }

    static JsonNode get(HttpClient http, String url, String auth) throws Exception {
        return read(http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", auth).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    static JsonNode read(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException(text, e);
        }
    }

    static void log(String format, Object... args) {
        System.err.println(String.format(format, args));
    }

    /** The fake images API: answers each request --delay-ms after it arrived, holding no thread meanwhile. */
    static final class Fake {
        final HttpServer server;
        final ScheduledExecutorService later = Executors.newScheduledThreadPool(2);
        final long delay;
        final AtomicInteger held = new AtomicInteger();
        final AtomicInteger answered = new AtomicInteger();
        final byte[] answer;

        Fake(long delay) throws IOException {
            this.delay = delay;
            this.answer = ("{\"created\": 1764806400, \"data\": [{\"b64_json\": \""
                    + Base64.getEncoder().encodeToString(PNG) + "\"}]}").getBytes(StandardCharsets.UTF_8);
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 2000);
            server.createContext("/v1/images/generations", this::handle);
            server.setExecutor(null);   // the one dispatcher thread takes every request
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        void handle(HttpExchange exchange) throws IOException {
            exchange.getRequestBody().readAllBytes();
            held.incrementAndGet();
            later.schedule(() -> {
                try (exchange) {
                    exchange.getResponseHeaders().add("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, answer.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(answer);
                    }
                } catch (IOException e) {
                    log("answer failed: %s", e);
                } finally {
                    held.decrementAndGet();
                    answered.incrementAndGet();
                }
            }, delay, TimeUnit.MILLISECONDS);
        }

        void awaitAnswered(int count) throws InterruptedException {
            while (answered.get() < count) Thread.sleep(100);
        }

        void stop() {
            server.stop(0);
            later.shutdownNow();
        }
    }

    /** Samples the server's memory and threads, keeping the peaks and the figures when the fake held the most. */
    static final class Sampler implements Runnable {
        final long pid;
        final Fake fake;
        volatile boolean running = true;
        int peakHeld, threadsAtPeak, maxThreads;
        long rssAtPeakKb, maxRssKb, maxHwmKb;

        Sampler(long pid, Fake fake) {
            this.pid = pid;
            this.fake = fake;
        }

        void stop() {
            running = false;
        }

        @Override
        public void run() {
            while (running) {
                try {
                    Proc now = Proc.read(pid);
                    int held = fake.held.get();
                    if (held >= peakHeld) {
                        peakHeld = held;
                        threadsAtPeak = now.threads;
                        rssAtPeakKb = now.rssKb;
                    }
                    maxThreads = Math.max(maxThreads, now.threads);
                    maxRssKb = Math.max(maxRssKb, now.rssKb);
                    maxHwmKb = Math.max(maxHwmKb, now.hwmKb);
                    Thread.sleep(200);
                } catch (Exception e) {
                    return;
                }
            }
        }
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

        static long number(String line) {
            return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
    }
}
