import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Knowledge-base scale through the HTTP API of a running Weft (issue 12): a KB of {@code docs} x {@code per} chunks
 * embedded by an OpenAI-compatible provider, here a fake on loopback that speaks {@code POST /v1/embeddings} and gives
 * each text a clustered synthetic 384-dimension vector (the cluster named by the text's first {@code topicN} word,
 * the noise seeded by the text), so that the index holds 100,000 vectors without the hours the local model would
 * take. Uploads the documents as text, waits until every one is ready, then runs {@code searches} searches one after
 * another through {@code POST /api/v1/knowledge-bases/{id}/search} (hybrid: vector + BM25, top_k 10) and prints
 * p50/p99; then, given the server's log, waits until the server says it merged the KB's index into one segment
 * (10 s after the last write) and searches again.
 * With KB_SCALE_WAIT_FOR=FILE set, the searches wait until FILE exists (to search once the machine is quiet).
 * JDK only. Usage: java ApiScale.java <base url> <admin token> <docs> <chunks per doc> <searches> [server log]
 */
public class ApiScale {

    static final int DIM = 384;
    static final int CLUSTERS = 1000;
    static final Pattern TOPIC = Pattern.compile("topic(\\d+)");
    static final HttpClient http = HttpClient.newHttpClient();
    static float[][] centres;
    static String base, auth;

    public static void main(String[] args) throws Exception {
        base = args[0];
        auth = "Bearer " + args[1];
        int docs = Integer.parseInt(args[2]);
        int per = Integer.parseInt(args[3]);
        int searches = Integer.parseInt(args[4]);
        Random random = new Random(42);
        centres = new float[CLUSTERS][];
        for (int c = 0; c < CLUSTERS; c++) centres[c] = unit(random, null, 0);
        // the JDK's HttpServer leaves Nagle's algorithm on: each answer would wait for the client's delayed ACK (~40 ms)
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer fake = fakeEmbeddings(Integer.getInteger("fakePort", 0));
        try {
            long searchOnly = Long.getLong("kb", 0L);   // -Dkb=ID -DfakePort=P: search an existing KB again
            if (searchOnly > 0) {
                search(searchOnly, searches, random, "again");
                return;
            }
            long kb = run(docs, per, searches, random, "http://127.0.0.1:" + fake.getAddress().getPort() + "/v1");
            if (args.length > 5) {
                long t0 = System.nanoTime();
                while (!java.nio.file.Files.readString(java.nio.file.Path.of(args[5]))
                        .contains("merged the index of knowledge base " + kb + " ")) Thread.sleep(500);
                System.out.printf("index merged into one segment %.1f s after the first search began%n",
                        (System.nanoTime() - t0) / 1e9);
                search(kb, searches, random, "merged into one segment");
            }
        } finally {
            fake.stop(0);
            ((ExecutorService) fake.getExecutor()).shutdown();
        }
    }

    static long run(int docs, int per, int searches, Random random, String url) throws Exception {
        String created = send("POST", "/api/v1/knowledge-bases", "{\"name\": \"scale-" + System.currentTimeMillis()
                + "\", \"embedding\": " + (Boolean.getBoolean("local") ? "{\"provider\": \"local\"}"
                : "{\"provider\": \"openai\", \"url\": \"" + url + "\", \"model\": \"fake-384\", \"dimension\": 384}")
                + ", \"chunking\": {\"tokens\": " + Integer.getInteger("tokens", 64) + ", \"overlap\": 0}}");
        long kb = number(created, "id");
        long t0 = System.nanoTime();
        ExecutorService uploads = Executors.newFixedThreadPool(4);
        long bytes = 0;
        List<Future<String>> sent = new ArrayList<>();
        for (int d = 0; d < docs; d++) {
            StringBuilder text = new StringBuilder();
            Random r = new Random(d);
            for (int p = 0; p < per; p++) {
                text.append("topic").append(r.nextInt(CLUSTERS)).append(" passage ").append(d).append('.').append(p);
                for (int w = 0; w < 40; w++) text.append(' ').append(WORDS[r.nextInt(WORDS.length)]);
                text.append(".\n\n");
            }
            bytes += text.length();
            String body = "{\"name\": \"doc-" + d + ".txt\", \"text\": \"" + text.toString().replace("\n", "\\n") + "\"}";
            sent.add(uploads.submit(() -> send("POST", "/api/v1/knowledge-bases/" + kb + "/documents", body)));
        }
        for (Future<String> f : sent) f.get();
        uploads.shutdown();
        long chunks;
        while (true) {
            String list = send("GET", "/api/v1/knowledge-bases/" + kb + "/documents", null);
            if (list.contains("\"status\":\"failed\"")) throw new IllegalStateException("a document failed");
            if (!Pattern.compile("\"status\":\"(queued|parsing|embedding)\"").matcher(list).find()) {
                chunks = 0;
                Matcher m = Pattern.compile("\"total\":(\\d+)").matcher(list);
                while (m.find()) chunks += Long.parseLong(m.group(1));
                break;
            }
            Thread.sleep(1000);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("KB %d: %d documents, %.1f MB of text, %d chunks ready in %.1f s (%.0f chunks/s, %s)%n",
                kb, docs, bytes / 1e6, chunks, seconds, chunks / seconds,
                Boolean.getBoolean("local") ? "the local model" : "fake provider");
        String waitFor = System.getenv("KB_SCALE_WAIT_FOR");   // searches only once the machine is quiet
        if (waitFor != null) {
            System.out.println("ingested; searching once " + waitFor + " exists");
            while (!java.nio.file.Files.exists(java.nio.file.Path.of(waitFor))) Thread.sleep(1000);
        } else {
            search(kb, searches, random, "as ingested");
        }
        return kb;
    }

    static void search(long kb, int searches, Random random, String what) throws Exception {
        for (int i = 0; i < 50; i++) send("POST", "/api/v1/knowledge-bases/" + kb + "/search", query(random));
        long[] nanos = new long[searches];
        for (int i = 0; i < searches; i++) {
            String q = query(random);
            long s = System.nanoTime();
            String answer = send("POST", "/api/v1/knowledge-bases/" + kb + "/search", q);
            nanos[i] = System.nanoTime() - s;
            if (!answer.contains("\"chunk_id\"")) throw new IllegalStateException("no results: " + answer);
        }
        Arrays.sort(nanos);
        System.out.printf("search through the API (%s, hybrid, top_k 10, %d searches one after another): p50 %.1f ms,"
                + " p99 %.1f ms, max %.1f ms%n", what, searches, nanos[searches / 2] / 1e6,
                nanos[(int) (searches * 0.99)] / 1e6, nanos[searches - 1] / 1e6);
    }

    static String query(Random random) {
        StringBuilder q = new StringBuilder("topic").append(random.nextInt(CLUSTERS));
        for (int w = 0; w < 6; w++) q.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
        return "{\"query\": \"" + q + "\", \"top_k\": 10}";
    }

    /** {@code POST /v1/embeddings} as OpenAI answers it: {"data": [{"index", "embedding"}], "model", "usage"}. */
    static HttpServer fakeEmbeddings(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/v1/embeddings", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            List<String> inputs = inputs(body);
            StringBuilder out = new StringBuilder("{\"object\":\"list\",\"model\":\"fake-384\",\"data\":[");
            for (int i = 0; i < inputs.size(); i++) {
                String text = inputs.get(i);
                Matcher m = TOPIC.matcher(text);
                float[] centre = centres[m.find() ? Integer.parseInt(m.group(1)) % CLUSTERS : Math.floorMod(text.hashCode(), CLUSTERS)];
                float[] v = unit(new Random(text.hashCode()), centre, 1.0);
                if (i > 0) out.append(',');
                out.append("{\"object\":\"embedding\",\"index\":").append(i).append(",\"embedding\":[");
                for (int j = 0; j < v.length; j++) {
                    if (j > 0) out.append(',');
                    out.append(v[j]);
                }
                out.append("]}");
            }
            out.append("],\"usage\":{\"prompt_tokens\":0,\"total_tokens\":0}}");
            byte[] bytes = out.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return server;
    }

    /** The strings of the request's "input" array (JSON strings, unescaped enough for the texts sent here). */
    static List<String> inputs(String body) {
        List<String> inputs = new ArrayList<>();
        int at = body.indexOf("\"input\"");
        int i = body.indexOf('[', at) + 1;
        while (i > 0 && i < body.length()) {
            while (i < body.length() && body.charAt(i) != '"' && body.charAt(i) != ']') i++;
            if (i >= body.length() || body.charAt(i) == ']') break;
            StringBuilder s = new StringBuilder();
            i++;
            while (body.charAt(i) != '"') {
                if (body.charAt(i) == '\\') i++;
                s.append(body.charAt(i++));
            }
            inputs.add(s.toString());
            i++;
        }
        return inputs;
    }

    static float[] unit(Random r, float[] centre, double noise) {
        float[] v = new float[DIM];
        double scale = centre == null ? 1 : noise / Math.sqrt(DIM);
        double norm = 0;
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) ((centre == null ? 0 : centre[i]) + r.nextGaussian() * scale);
            norm += v[i] * v[i];
        }
        norm = Math.sqrt(norm);
        for (int i = 0; i < DIM; i++) v[i] /= norm;
        return v;
    }

    static String send(String method, String path, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", auth);
        if (json == null) b.GET();
        else b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) throw new IllegalStateException(method + " " + path + " -> " + r.statusCode() + " " + r.body());
        return r.body();
    }

    static long number(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\"\\s*:\\s*(\\d+)").matcher(json);
        if (!m.find()) throw new IllegalStateException("no " + field + " in " + json);
        return Long.parseLong(m.group(1));
    }

    static final String[] WORDS = ("alpha beta gamma delta refund shipping invoice order customer account password "
            + "login flow node server task queue retry timeout webhook callback model prompt agent tool search index "
            + "chunk vector token budget limit error status result input output file image audio speech text table "
            + "page section heading paragraph sentence word number date time week month year day hour minute")
            .split(" ");
}
