import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * /health latency on a running Weft without and then with --slow connections that send a sign-in request with a
 * large Content-Length and then one body byte every --gap-ms (reconnecting whenever the server cuts one off).
 * The attack comes from 127.0.0.10 and up (--per-address connections each), the health checks from 127.0.0.2, one
 * request per connection. Prints one JSON line. JDK only:
 *
 *   java bench/SlowClients.java --port 18082 [--slow 500] [--per-address 100] [--gap-ms 2000] [--requests 10000]
 */
public class SlowClients {

    public static void main(String[] argv) throws Exception {
        int port = Integer.parseInt(arg(argv, "--port", "18082"));
        int slow = Integer.parseInt(arg(argv, "--slow", "500"));
        int perAddress = Integer.parseInt(arg(argv, "--per-address", "100"));
        long gap = Long.parseLong(arg(argv, "--gap-ms", "2000"));
        int requests = Integer.parseInt(arg(argv, "--requests", "10000"));

        health(port, 200);   // warm-up
        double[] quiet = health(port, requests);

        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger open = new AtomicInteger();
        AtomicLong cutOff = new AtomicLong();
        List<Thread> attackers = new ArrayList<>();
        for (int i = 0; i < slow; i++) {
            String from = "127.0.0." + (10 + i / perAddress);
            Thread attacker = new Thread(() -> attack(from, port, gap, stop, open, cutOff), "slow-" + i);
            attacker.setDaemon(true);
            attacker.start();
            attackers.add(attacker);
        }
        long deadline = System.currentTimeMillis() + 30_000;
        while (open.get() < slow && System.currentTimeMillis() < deadline) Thread.sleep(50);
        int openAtStart = open.get();
        double[] attacked = health(port, requests);
        int openAtEnd = open.get();
        stop.set(true);
        for (Thread attacker : attackers) attacker.join(5_000);

        System.out.println(String.format(Locale.ROOT, "{\"slow_connections\": %d, \"open_at_start\": %d, "
                        + "\"open_at_end\": %d, \"cut_off\": %d, \"requests\": %d, \"quiet_p50_ms\": %.2f, "
                        + "\"quiet_p99_ms\": %.2f, \"attacked_p50_ms\": %.2f, \"attacked_p99_ms\": %.2f, "
                        + "\"attacked_failures\": %d, \"p99_ratio\": %.2f}",
                slow, openAtStart, openAtEnd, cutOff.get(), requests, pct(quiet, 50), pct(quiet, 99), pct(attacked, 50),
                pct(attacked, 99), (long) attacked[attacked.length - 1], pct(attacked, 99) / pct(quiet, 99)));
    }

    /** One slow-body connection, reopened whenever the server closes it, until stopped. */
    static void attack(String from, int port, long gap, AtomicBoolean stop, AtomicInteger open, AtomicLong cutOff) {
        byte[] head = ("POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: 1000000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII);
        while (!stop.get()) {
            try (Socket socket = socket(from, port, 60_000)) {
                OutputStream out = socket.getOutputStream();
                out.write(head);
                out.flush();
                open.incrementAndGet();
                try {
                    InputStream in = socket.getInputStream();
                    while (!stop.get()) {
                        Thread.sleep(gap);
                        if (in.available() > 0) break;   // the server answered (408): it is cut off
                        out.write(' ');
                        out.flush();
                    }
                } finally {
                    open.decrementAndGet();
                }
                if (!stop.get()) cutOff.incrementAndGet();
            } catch (IOException e) {
                if (!stop.get()) cutOff.incrementAndGet();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Latencies (ms) of sequential GET /health, each on a new connection; the last element counts failures. */
    static double[] health(int port, int n) {
        double[] ms = new double[n + 1];
        long failures = 0;
        byte[] request = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            try (Socket socket = socket("127.0.0.2", port, 10_000)) {
                socket.getOutputStream().write(request);
                byte[] answer = socket.getInputStream().readAllBytes();
                if (!new String(answer, 0, Math.min(12, answer.length), StandardCharsets.US_ASCII).endsWith("200")) failures++;
            } catch (IOException e) {
                failures++;
            }
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        ms[n] = failures;
        return ms;
    }

    static Socket socket(String from, int port, int timeoutMs) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), timeoutMs);
        socket.setSoTimeout(timeoutMs);
        return socket;
    }

    static double pct(double[] withFailures, int p) {
        double[] sorted = Arrays.copyOf(withFailures, withFailures.length - 1);
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    static String arg(String[] argv, String name, String fallback) {
        for (int i = 0; i + 1 < argv.length; i++) if (argv[i].equals(name)) return argv[i + 1];
        if (fallback == null) throw new IllegalArgumentException("missing " + name);
        return fallback;
    }
}
