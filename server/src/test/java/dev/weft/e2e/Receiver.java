package dev.weft.e2e;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** A loopback receiver of callbacks for tests: answers with scripted statuses (then a default) and keeps each call. */
final class Receiver implements AutoCloseable {

    /** One call received: its headers (lower-case names) and raw body. */
    record Call(Map<String, String> headers, byte[] body) {}

    private final HttpServer server;
    private final List<Call> calls = new ArrayList<>();
    private final Deque<Integer> script = new ArrayDeque<>();
    private volatile int otherwise = 200;

    Receiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = new java.util.HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
            int status;
            synchronized (this) {
                calls.add(new Call(headers, body));
                Integer next = script.poll();
                status = next == null ? otherwise : next;
                notifyAll();
            }
            exchange.sendResponseHeaders(status, -1);
            try (OutputStream out = exchange.getResponseBody()) {
                out.flush();
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** The next calls are answered with these statuses, in order; then {@code otherwise}. */
    synchronized void answer(int otherwise, Integer... first) {
        this.otherwise = otherwise;
        script.clear();
        script.addAll(List.of(first));
    }

    synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    /** Waits (on a signal) until at least {@code count} calls came. */
    synchronized List<Call> await(int count, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (calls.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) throw new AssertionError("got " + calls.size() + " calls, expected " + count);
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return List.copyOf(calls);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
