package dev.weft.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Sign-in latency against a running Weft (issue 15): {@code POST /api/v1/session} one at a time with the right
 * password, then a few wrong passwords and unknown emails (fewer than the sign-in budgets allow, so none is refused
 * unchecked), and prints each kind's median and spread. The time is mostly the Argon2id hash.
 * <pre>java -cp bench/target/benchmarks.jar dev.weft.bench.SignInLatency http://127.0.0.1:8080 owner@example.com 'password' 50</pre>
 */
public final class SignInLatency {

    private SignInLatency() {}

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String email = args[1];
        String password = args[2];
        int count = args.length > 3 ? Integer.parseInt(args[3]) : 50;
        HttpClient client = HttpClient.newHttpClient();
        for (int i = 0; i < 5; i++) signIn(client, base, email, password, 201);   // warm-up
        report("right password", time(client, base, email, password, 201, count));
        report("wrong password", time(client, base, email, password + "-not", 401, 4));
        report("unknown email", time(client, base, "nobody-" + System.nanoTime() + "@example.com", password, 401, 4));
    }

    private static List<Double> time(HttpClient client, String base, String email, String password, int expected,
                                     int count) throws Exception {
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            signIn(client, base, email, password, expected);
            millis.add((System.nanoTime() - start) / 1e6);
        }
        return millis;
    }

    private static void signIn(HttpClient client, String base, String email, String password, int expected)
            throws Exception {
        String body = "{\"email\": \"" + email + "\", \"password\": \"" + password + "\"}";
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/session"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException("expected " + expected + ", got " + response.statusCode() + ": " + response.body());
        }
    }

    private static void report(String what, List<Double> millis) {
        List<Double> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        System.out.printf("%-15s n=%-3d median %.1f ms  min %.1f ms  max %.1f ms%n", what, sorted.size(),
                sorted.get(sorted.size() / 2), sorted.get(0), sorted.get(sorted.size() - 1));
    }
}
