import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Knowledge-base load through the HTTP API of a running Weft (issue 12): uploads every file given (times
 * {@code copies}) into a new KB with the local model, waits until all are ready, prints chunks/s; then runs
 * {@code searches} searches one after another and prints p50/p99 latency. JDK only: run by bench/kb/kb.sh.
 * Usage: java KbLoad.java <base url> <admin token> <copies> <searches> <file>...
 */
public class KbLoad {

    static final HttpClient http = HttpClient.newHttpClient();
    static String base, auth;

    public static void main(String[] args) throws Exception {
        base = args[0];
        auth = "Bearer " + args[1];
        int copies = Integer.parseInt(args[2]);
        int searches = Integer.parseInt(args[3]);
        String created = send("POST", "/api/v1/knowledge-bases", "{\"name\": \"bench-" + System.currentTimeMillis() + "\"}");
        long kb = number(created, "id");
        long bytes = 0;
        int docs = 0;
        long t0 = System.nanoTime();
        for (int c = 0; c < copies; c++) {
            for (int i = 4; i < args.length; i++) {
                Path file = Path.of(args[i]);
                byte[] content = Files.readAllBytes(file);
                HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/knowledge-bases/" + kb
                                + "/documents?filename=" + c + "-" + file.getFileName()))
                        .header("Authorization", auth).header("Content-Type", "application/octet-stream")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(content)).build();
                HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 202) throw new IllegalStateException(r.statusCode() + " " + r.body());
                bytes += content.length;
                docs++;
            }
        }
        long uploaded = System.nanoTime();
        int chunks;
        while (true) {
            String list = send("GET", "/api/v1/knowledge-bases/" + kb + "/documents", null);
            int pending = count(list, "\"status\":\"(queued|parsing|embedding)\"");
            if (pending == 0) {
                chunks = sum(list, "\"total\":(\\d+)");
                int failed = count(list, "\"status\":\"failed\"");
                if (failed > 0) System.out.println("failed documents: " + failed);
                break;
            }
            Thread.sleep(200);   // a client's poll interval
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("ingest: %d documents, %.1f MB, %d chunks in %.1f s (upload %.1f s) = %.1f chunks/s%n", docs,
                bytes / 1e6, chunks, seconds, (uploaded - t0) / 1e9, chunks / seconds);
        String[] questions = {"how do I create a server key", "what happens when a task fails", "retry after 429",
                "how are flows published", "PostgreSQL with many processes", "what does the code node allow",
                "where are files stored", "idempotency key reused", "how do callbacks sign requests",
                "what is the admin token", "how to cancel a running task", "which node types exist",
                "events stream of a task", "maximum body size", "metrics endpoint prometheus"};
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < searches + 20; i++) {
            String body = "{\"query\": \"" + questions[i % questions.length] + "\", \"top_k\": 5}";
            long s0 = System.nanoTime();
            String answer = send("POST", "/api/v1/knowledge-bases/" + kb + "/search", body);
            if (i >= 20) ms.add((System.nanoTime() - s0) / 1e6);
            if (!answer.contains("\"results\":[{")) throw new IllegalStateException("no results: " + answer);
        }
        Collections.sort(ms);
        System.out.printf("search (%d chunks, top_k 5, hybrid, sequential, %d after 20 warm-up): p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                chunks, ms.size(), ms.get(ms.size() / 2), ms.get((int) Math.ceil(ms.size() * 0.99) - 1), ms.get(ms.size() - 1));
    }

    static String send(String method, String path, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", auth)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) b.header("Content-Type", "application/json");
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) throw new IllegalStateException(method + " " + path + ": " + r.statusCode() + " " + r.body());
        return r.body();
    }

    static long number(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\":(\\d+)").matcher(json);
        if (!m.find()) throw new IllegalStateException("no " + field + " in " + json);
        return Long.parseLong(m.group(1));
    }

    static int count(String json, String regex) {
        Matcher m = Pattern.compile(regex).matcher(json);
        int n = 0;
        while (m.find()) n++;
        return n;
    }

    static int sum(String json, String regex) {
        Matcher m = Pattern.compile(regex).matcher(json);
        int n = 0;
        while (m.find()) n += Integer.parseInt(m.group(1));
        return n;
    }
}
