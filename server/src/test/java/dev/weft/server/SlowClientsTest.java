package dev.weft.server;

import dev.weft.http.HttpLimits;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.api.TestServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Slow and abusive clients against a real server: hundreds of slow request heads and slow bodies hold no worker
 * thread, so {@code /health} and an execute keep answering; too slow a body is cut off with 408; one address
 * cannot hold more connections than its cap. The attacks come from 127.0.0.1 and the checks from other loopback
 * addresses (127.0.0.2 ...), as a stranger and a user would be.
 */
class SlowClientsTest {

    static final int ATTACKERS = 300;
    /** A failure bound, not a measurement: an answer this late means the server is stalled. */
    static final Duration BOUND = Duration.ofSeconds(5);

    static TestServer patient;   // slow bodies stay open for the whole test (long grace)
    static TestServer strict;    // slow bodies are cut off after a second; three connections per address
    static String key;
    static long flow;

    @BeforeAll
    static void start() {
        patient = TestServer.start(c -> c.withHttpLimits(HttpLimits.DEFAULT
                .withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(2), 1024, Duration.ofMinutes(5))
                .withConnectionCaps(2 * ATTACKERS + 100, ATTACKERS + 50)));
        strict = TestServer.start(c -> c.withHttpLimits(HttpLimits.DEFAULT
                .withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(1), 1024, Duration.ofSeconds(1))
                .withConnectionCaps(100, 3)));
        flow = patient.publishFlow(TestServer.example("hello.json"));
        key = patient.newKeyAuth("app");
    }

    @AfterAll
    static void stop() {
        patient.close();
        strict.close();
    }

    static RawHttp.Reply health(TestServer server, String from) {
        return RawHttp.exchange(from, server.port(), RawHttp.head("GET", "/health"), null, BOUND);
    }

    static RawHttp.Reply execute(String from, String name) {
        byte[] body = ("{\"node_settings\": {\"start\": {\"data\": {\"name\": \"" + name + "\"}}}}")
                .getBytes(StandardCharsets.UTF_8);
        return RawHttp.exchange(from, patient.port(), RawHttp.head("POST", "/api/v1/scade/flow/" + flow + "/execute?wait=5",
                "Authorization: " + key, "Content-Type: application/json", "Content-Length: " + body.length), body,
                Duration.ofSeconds(30));
    }

    /** Opens a connection that sends a request head announcing a large body, then one byte of it. */
    static Socket slowBody(TestServer server, String from, String path, String... extra) throws IOException {
        Socket socket = RawHttp.connect(from, server.port(), Duration.ofSeconds(30));
        List<String> lines = new ArrayList<>(List.of("Content-Type: application/json", "Content-Length: 100000"));
        lines.addAll(List.of(extra));
        OutputStream out = socket.getOutputStream();
        out.write(RawHttp.head("POST", path, lines.toArray(String[]::new)).getBytes(StandardCharsets.UTF_8));
        out.write('{');
        out.flush();
        return socket;
    }

    static void closeAll(List<Socket> sockets) {
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already closed by the server
            }
        }
    }

    @Test
    void hundreds_of_slow_bodies_leave_health_and_execute_answering() throws Exception {
        List<Socket> attack = new ArrayList<>();
        try {
            for (int i = 0; i < ATTACKERS; i++) {
                attack.add(i % 2 == 0 ? slowBody(patient, "127.0.0.1", "/api/v1/session")
                        : slowBody(patient, "127.0.0.1", "/api/v1/scade/flow/" + flow + "/execute", "Authorization: " + key));
            }
            // Every slow body is still open (no answer yet): the server is waiting for their bytes.
            for (Socket socket : attack.subList(0, 5)) {
                socket.getOutputStream().write(' ');
                socket.getOutputStream().flush();
            }
            for (int i = 0; i < 5; i++) {
                RawHttp.Reply ok = health(patient, "127.0.0.2");
                assertThat(ok.status()).isEqualTo(200);
                assertThat(ok.body()).contains("\"status\":\"ok\"");
            }
            RawHttp.Reply ran = execute("127.0.0.2", "Ada");
            assertThat(ran.status()).isEqualTo(200);
            assertThat(ran.body()).contains("Ada");
            // The attacker's own address still works within its cap too.
            assertThat(health(patient, "127.0.0.1").status()).isEqualTo(200);
        } finally {
            closeAll(attack);
        }
    }

    @Test
    void hundreds_of_slow_request_heads_leave_health_answering_and_are_closed_after_the_header_timeout() throws Exception {
        List<Socket> attack = new ArrayList<>();
        try {
            for (int i = 0; i < ATTACKERS; i++) {
                Socket socket = RawHttp.connect("127.0.0.1", patient.port(), Duration.ofSeconds(30));
                socket.getOutputStream().write("POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le"
                        .getBytes(StandardCharsets.UTF_8));
                socket.getOutputStream().flush();
                attack.add(socket);
            }
            assertThat(health(patient, "127.0.0.2").status()).isEqualTo(200);
            for (Socket socket : attack) {
                assertThat(RawHttp.read(socket).status()).isEqualTo(-1);   // closed by the server, no answer
            }
        } finally {
            closeAll(attack);
        }
    }

    @Test
    void a_body_slower_than_the_minimum_rate_is_cut_off_with_408_and_frees_its_slot() throws Exception {
        List<Socket> slow = new ArrayList<>();
        for (int i = 0; i < 3; i++) slow.add(slowBody(strict, "127.0.0.3", "/api/v1/session"));
        try {
            for (Socket socket : slow) {
                RawHttp.Reply cut = RawHttp.read(socket);
                assertThat(cut.status()).isEqualTo(408);
                assertThat(cut.header("Content-Type")).isEqualTo("application/problem+json");
                assertThat(cut.body()).contains("\"status\":408", "slower than 1024 bytes a second");
            }
        } finally {
            closeAll(slow);
        }
        assertThat(answersWithin(strict, "127.0.0.3", BOUND)).isEqualTo(200);
    }

    @Test
    void a_large_body_that_waits_for_100_continue_is_still_gathered_without_a_thread_and_cut_off_when_slow()
            throws Exception {
        // only the upload route is handed a body it has not asked for yet; elsewhere the server says continue and
        // gathers the body itself, so a client told to continue cannot hold a thread by trickling it
        try (Socket socket = RawHttp.connect("127.0.0.7", strict.port(), Duration.ofSeconds(30))) {
            socket.getOutputStream().write(RawHttp.head("POST", "/api/v1/session", "Content-Type: application/json",
                    "Expect: 100-continue", "Content-Length: " + (ServerConfig.MAX_BODY_DEFAULT + 1))
                    .getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();   // and then none of the body
            String answers = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answers).startsWith("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 408 ")
                    .contains("slower than 1024 bytes a second");
        }
    }

    @Test
    void a_connection_over_the_per_address_cap_is_closed_at_once() throws Exception {
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) held.add(RawHttp.connect("127.0.0.4", strict.port(), Duration.ofSeconds(30)));
            Socket fourth = RawHttp.connect("127.0.0.4", strict.port(), BOUND);
            held.add(fourth);
            assertThat(fourth.getInputStream().read()).isEqualTo(-1);
            assertThat(health(strict, "127.0.0.5").status()).isEqualTo(200);
            // The three held connections send nothing: the header timeout closes them, and the address may connect again.
            for (Socket socket : held.subList(0, 3)) assertThat(socket.getInputStream().read()).isEqualTo(-1);
        } finally {
            closeAll(held);
        }
        assertThat(answersWithin(strict, "127.0.0.4", BOUND)).isEqualTo(200);
    }

    @Test
    void a_large_body_at_normal_speed_is_accepted() {
        String name = "x".repeat(3 * 1024 * 1024);
        RawHttp.Reply ran = execute("127.0.0.6", name);
        assertThat(ran.status()).isEqualTo(200);
        assertThat(ran.body()).contains(name);
    }

    /**
     * The status of {@code /health} from {@code from}, asked again while the server has not yet counted a just
     * closed connection of that address (the client sees the close a moment before the server's bookkeeping).
     */
    static int answersWithin(TestServer server, String from, Duration limit) {
        Instant deadline = Instant.now().plus(limit);
        while (true) {
            RawHttp.Reply reply = health(server, from);
            if (reply.status() != -1 || Instant.now().isAfter(deadline)) return reply.status();
            Thread.onSpinWait();
        }
    }
}
