package dev.weft.builtin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A chat model provider on loopback (shared with the server's tests through this module's test jar) that answers
 * each request with a scripted HTTP/1.1 response written the way a real streaming server sends it: headers, then the body in {@code Transfer-Encoding: chunked} pieces, each piece its
 * own TCP write (flushed, with Nagle off), so the client sees the stream split exactly where the script splits it,
 * mid-line and mid-character included. A script may hold the stream open until the test releases a latch, or cut
 * the connection before the stream's end.
 */
public final class FakeModel implements AutoCloseable {

    /** One step of a response: a piece of body, a wait for the test's signal, or a cut. */
    public sealed interface Step {
        record Piece(byte[] bytes) implements Step {}

        record Hold(CountDownLatch release) implements Step {}

        /** Closes the connection without the chunked body's last chunk: a stream cut in the middle. */
        record Cut() implements Step {}
    }

    /** A scripted response: status, content type, steps. */
    public record Script(int status, String contentType, List<Step> steps) {
        public static Script events(Object... steps) {
            return new Script(200, "text/event-stream; charset=utf-8", steps(steps));
        }

        public static Script status(int status, String json) {
            return new Script(status, "application/json", steps(json));
        }

        private static List<Step> steps(Object... items) {
            List<Step> steps = new ArrayList<>();
            for (Object item : items) {
                if (item instanceof Step step) steps.add(step);
                else if (item instanceof byte[] bytes) steps.add(new Step.Piece(bytes));
                else steps.add(new Step.Piece(item.toString().getBytes(StandardCharsets.UTF_8)));
            }
            return steps;
        }
    }

    private final ServerSocket socket;
    private final BlockingQueue<Script> scripts = new LinkedBlockingQueue<>();
    /** The bodies of the requests received, in order. */
    public final BlockingQueue<String> requests = new LinkedBlockingQueue<>();
    /** The request headers (lower-case names) of each request, in order, as "name: value" lines. */
    public final BlockingQueue<String> headers = new LinkedBlockingQueue<>();
    private final Thread acceptor;

    public FakeModel() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        acceptor = new Thread(this::accept, "sse-fake");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    public String base(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    public FakeModel enqueue(Script script) {
        scripts.add(script);
        return this;
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Thread thread = new Thread(() -> serve(client), "sse-fake-connection");
                thread.setDaemon(true);
                thread.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            client.setTcpNoDelay(true);
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            while (true) {
                String head = readHead(in);
                if (head == null) return;
                int length = 0;
                StringBuilder lines = new StringBuilder();
                for (String line : head.split("\r\n")) {
                    String lower = line.toLowerCase(Locale.ROOT);
                    lines.append(lower.contains(":") ? lower.substring(0, lower.indexOf(':')) + line.substring(line.indexOf(':')) : line).append('\n');
                    if (lower.startsWith("content-length:")) length = Integer.parseInt(line.substring(15).trim());
                }
                requests.add(new String(in.readNBytes(length), StandardCharsets.UTF_8));
                headers.add(lines.toString());
                Script script = scripts.poll(5, TimeUnit.SECONDS);
                if (script == null) script = Script.status(500, "{\"error\": {\"message\": \"no scripted answer\"}}");
                out.write(("HTTP/1.1 " + script.status() + " X\r\nContent-Type: " + script.contentType()
                        + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                for (Step step : script.steps()) {
                    if (step instanceof Step.Piece piece) {
                        out.write((Integer.toHexString(piece.bytes().length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(piece.bytes());
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    } else if (step instanceof Step.Hold hold) {
                        hold.release().await(30, TimeUnit.SECONDS);
                    } else {
                        return;
                    }
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // the client went away
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) return null;
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
