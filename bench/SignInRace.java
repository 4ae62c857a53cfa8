import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sign-in throughput of the right user (one connection at a time from 127.0.0.2) on a running Weft whose admin
 * password is set, for --seconds without and then with a stranger sending wrong passwords from --stranger-threads
 * threads at 127.0.0.3 as fast as the server answers. Prints one JSON line. JDK only:
 *
 *   java bench/SignInRace.java --port 18082 --password PASSWORD [--seconds 20] [--stranger-threads 8]
 */
public class SignInRace {

    public static void main(String[] argv) throws Exception {
        int port = Integer.parseInt(arg(argv, "--port", "18082"));
        String password = arg(argv, "--password", null);
        int seconds = Integer.parseInt(arg(argv, "--seconds", "20"));
        int threads = Integer.parseInt(arg(argv, "--stranger-threads", "8"));

        long[] quiet = owner(port, password, seconds);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong wrong = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        List<Thread> strangers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread stranger = new Thread(() -> {
                for (long n = 0; !stop.get(); n++) {
                    int status = signIn("127.0.0.3", port, "guess " + n);
                    if (status == 401) wrong.incrementAndGet();
                    if (status == 429) refused.incrementAndGet();
                }
            });
            stranger.setDaemon(true);
            stranger.start();
            strangers.add(stranger);
        }
        long[] attacked = owner(port, password, seconds);
        stop.set(true);
        for (Thread stranger : strangers) stranger.join(10_000);

        double quietRate = quiet[0] / (double) seconds;
        double attackedRate = attacked[0] / (double) seconds;
        System.out.println(String.format(Locale.ROOT, "{\"seconds\": %d, \"stranger_threads\": %d, \"owner_signins_per_s_quiet\": %.2f, "
                        + "\"owner_signins_per_s_attacked\": %.2f, \"owner_refused_attacked\": %d, "
                        + "\"stranger_wrong_checked\": %d, \"stranger_refused_429\": %d, \"ratio\": %.2f}",
                seconds, threads, quietRate, attackedRate, attacked[1], wrong.get(), refused.get(), attackedRate / quietRate));
    }

    /** The owner signs in over and over for {@code seconds}: {successes, other answers}. */
    static long[] owner(int port, String password, int seconds) {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long ok = 0;
        long other = 0;
        while (System.nanoTime() < end) {
            if (signIn("127.0.0.2", port, password) == 201) ok++;
            else other++;
        }
        return new long[] {ok, other};
    }

    static int signIn(String from, int port, String password) {
        byte[] body = ("{\"password\": \"" + password + "\"}").getBytes(StandardCharsets.UTF_8);
        byte[] head = ("POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(60_000);
            socket.getOutputStream().write(head);
            socket.getOutputStream().write(body);
            byte[] answer = socket.getInputStream().readAllBytes();
            return Integer.parseInt(new String(answer, 9, 3, StandardCharsets.US_ASCII));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static String arg(String[] argv, String name, String fallback) {
        for (int i = 0; i + 1 < argv.length; i++) if (argv[i].equals(name)) return argv[i + 1];
        if (fallback == null) throw new IllegalArgumentException("missing " + name);
        return fallback;
    }
}
