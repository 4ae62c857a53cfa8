package dev.weft.e2e;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A loopback HTTP service for tests: counts calls per path and query, answers {@code {"path", "query"}} and each
 * query parameter as a field of its own, as JSON,
 * optionally after a random delay (the latency of a real service), and can hold calls to chosen paths until
 * released (to catch steps in flight).
 */
public final class Upstream implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Map<String, Integer> calls = new HashMap<>();
    private final Map<String, Integer> pathCalls = new HashMap<>();
    private volatile CountDownLatch hold = new CountDownLatch(0);
    private volatile String heldPath = "";

    /** Answers at once. */
    public Upstream() {
        this(0, 0);
    }

    /** Answers each call after a random {@code delayMinMs}..{@code delayMaxMs} ms. */
    public Upstream(int delayMinMs, int delayMaxMs) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 500);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(threads);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String query = exchange.getRequestURI().getRawQuery();
            synchronized (this) {
                calls.merge(path + "?" + query, 1, Integer::sum);
                pathCalls.merge(path, 1, Integer::sum);
                notifyAll();
            }
            try {
                if (path.equals(heldPath)) hold.await();
                // the service's own latency, not a test waiting for something
                if (delayMaxMs > 0) Thread.sleep(ThreadLocalRandom.current().nextInt(delayMinMs, delayMaxMs + 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            StringBuilder json = new StringBuilder("{\"path\": \"").append(path).append("\", \"query\": \"")
                    .append(query).append('"');
            if (query != null) {
                for (String pair : query.split("&")) {   // each query parameter also as a field of its own
                    int eq = pair.indexOf('=');
                    if (eq <= 0) continue;
                    json.append(", \"").append(pair, 0, eq).append("\": \"").append(pair.substring(eq + 1)).append('"');
                }
            }
            byte[] body = json.append('}').toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            try {
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            } catch (IOException e) {
                // the caller went away (a killed Weft process); nothing to answer
            }
        });
        server.start();
    }

    public String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Holds every call to {@code path} until {@link #release()}. */
    public void holdCallsTo(String path) {
        hold = new CountDownLatch(1);
        heldPath = path;
    }

    public void release() {
        hold.countDown();
    }

    public synchronized int calls(String path, String query) {
        return calls.getOrDefault(path + "?" + query, 0);
    }

    public synchronized int calls(String path) {
        return pathCalls.getOrDefault(path, 0);
    }

    /** Waits (on a signal, not a sleep) until {@code path} has had at least {@code count} calls. */
    public synchronized void awaitCalls(String path, int count, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (calls(path) < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) throw new AssertionError(path + " had " + calls(path) + " calls, expected " + count);
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        threads.shutdownNow();
    }
}
