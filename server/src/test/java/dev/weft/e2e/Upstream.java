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
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A loopback HTTP service for tests: counts calls per path and query, answers {@code {"path", "query"}} as JSON,
 * and can hold calls to chosen paths until released (to catch steps in flight).
 */
final class Upstream implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, Integer> calls = new HashMap<>();
    private final Map<String, Integer> pathCalls = new HashMap<>();
    private volatile CountDownLatch hold = new CountDownLatch(0);
    private volatile String heldPath = "";

    Upstream() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String query = exchange.getRequestURI().getRawQuery();
            synchronized (this) {
                calls.merge(path + "?" + query, 1, Integer::sum);
                pathCalls.merge(path, 1, Integer::sum);
                notifyAll();
            }
            if (path.equals(heldPath)) {
                try {
                    hold.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] body = ("{\"path\": \"" + path + "\", \"query\": \"" + query + "\"}").getBytes(StandardCharsets.UTF_8);
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

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Holds every call to {@code path} until {@link #release()}. */
    void holdCallsTo(String path) {
        hold = new CountDownLatch(1);
        heldPath = path;
    }

    void release() {
        hold.countDown();
    }

    synchronized int calls(String path, String query) {
        return calls.getOrDefault(path + "?" + query, 0);
    }

    synchronized int calls(String path) {
        return pathCalls.getOrDefault(path, 0);
    }

    /** Waits (on a signal, not a sleep) until {@code path} has had at least {@code count} calls. */
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
    }
}
