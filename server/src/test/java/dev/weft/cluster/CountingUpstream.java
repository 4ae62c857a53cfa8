package dev.weft.cluster;

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
 * A loopback HTTP service for cluster tests: counts calls per path and {@code n} query value, answers
 * {@code {"path", "n"}} after a random 20-50 ms (the latency of a real service), and can hold every call to one
 * path until released (to catch steps in flight).
 */
final class CountingUpstream implements AutoCloseable {

    static final int DELAY_MIN_MS = 20;
    static final int DELAY_MAX_MS = 50;

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Map<String, Integer> calls = new HashMap<>();
    private volatile CountDownLatch hold = new CountDownLatch(0);
    private volatile String heldPath = "";

    CountingUpstream() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 500);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(threads);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String n = String.valueOf(exchange.getRequestURI().getQuery()).replaceFirst("^n=", "");
            synchronized (this) {
                calls.merge(path + "?" + n, 1, Integer::sum);
                calls.merge(path, 1, Integer::sum);
                notifyAll();
            }
            try {
                if (path.equals(heldPath)) hold.await();
                // the service's own latency, not a test waiting for something
                Thread.sleep(ThreadLocalRandom.current().nextInt(DELAY_MIN_MS, DELAY_MAX_MS + 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = ("{\"path\": \"" + path + "\", \"n\": \"" + n + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            try {
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            } catch (IOException e) {
                // the caller went away (a killed Weft process)
            }
        });
        server.start();
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void holdCallsTo(String path) {
        hold = new CountDownLatch(1);
        heldPath = path;
    }

    void release() {
        hold.countDown();
    }

    synchronized int calls(String path, long n) {
        return calls.getOrDefault(path + "?" + n, 0);
    }

    synchronized int calls(String path) {
        return calls.getOrDefault(path, 0);
    }

    /** Waits (on a signal) until {@code path} has had at least {@code count} calls. */
    synchronized void awaitCalls(String path, int count, Duration limit) throws InterruptedException {
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
