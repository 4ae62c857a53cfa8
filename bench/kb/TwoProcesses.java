import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Two Weft processes on one PostgreSQL (issue 12): for each round, a document with a word of its own is added through
 * process A; as soon as A reports it ready, process B is searched for that word. Prints how long after A's "ready"
 * B first returned the chunk (B's first answer, so 0 retries means B was in step at once), over the rounds.
 * Usage: java TwoProcesses.java <url A> <url B> <admin token> <rounds>
 */
public class TwoProcesses {

    static final HttpClient http = HttpClient.newHttpClient();
    static String auth;

    public static void main(String[] args) throws Exception {
        String a = args[0], b = args[1];
        auth = "Bearer " + args[2];
        int rounds = Integer.parseInt(args[3]);
        long kb = number(send("POST", a + "/api/v1/knowledge-bases", "{\"name\": \"two-" + System.currentTimeMillis() + "\"}"), "id");
        send("POST", b + "/api/v1/knowledge-bases/" + kb + "/search", "{\"query\": \"warm up\"}");   // B opens its index
        List<Double> lags = new ArrayList<>();
        int retried = 0;
        for (int r = 0; r < rounds; r++) {
            String word = "zebra" + Long.toString(System.nanoTime(), 36);
            long doc = number(send("POST", a + "/api/v1/knowledge-bases/" + kb + "/documents",
                    "{\"name\": \"n" + r + ".txt\", \"text\": \"The code word of round " + r + " is " + word + ".\"}"), "id");
            while (!send("GET", a + "/api/v1/knowledge-bases/" + kb + "/documents/" + doc, null).contains("\"status\":\"ready\"")) {
                Thread.sleep(10);   // a client's poll interval
            }
            long ready = System.nanoTime();
            for (int attempt = 0; ; attempt++) {
                String found = send("POST", b + "/api/v1/knowledge-bases/" + kb + "/search",
                        "{\"query\": \"" + word + "\", \"top_k\": 1, \"weights\": {\"vector\": 0}}");
                if (found.contains(word)) {
                    lags.add((System.nanoTime() - ready) / 1e6);
                    if (attempt > 0) retried++;
                    break;
                }
                if (System.nanoTime() - ready > 5_000_000_000L) throw new IllegalStateException("B never found round " + r);
            }
        }
        Collections.sort(lags);
        System.out.printf("two processes: %d rounds; B found the chunk A had just made ready after p50 %.1f ms, max %.1f ms;"
                + " rounds where B's first search missed it: %d%n", rounds, lags.get(lags.size() / 2), lags.get(lags.size() - 1), retried);
    }

    static String send(String method, String url, String json) throws Exception {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url)).header("Authorization", auth)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) req.header("Content-Type", "application/json");
        HttpResponse<String> r = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) throw new IllegalStateException(method + " " + url + ": " + r.statusCode() + " " + r.body());
        return r.body();
    }

    static long number(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\":(\\d+)").matcher(json);
        if (!m.find()) throw new IllegalStateException("no " + field + " in " + json);
        return Long.parseLong(m.group(1));
    }
}
