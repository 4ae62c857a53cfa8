package dev.weft.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.node.NetworkFailure;
import dev.weft.node.NodeCall;
import dev.weft.node.NodeException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/** A step's network failures read as sentences with the host and what happened, never a Java class name. */
class NetworkFailureTest {

    private final HttpNode node = new HttpNode(new HttpNode.Options(true, 1024, 5));

    private NodeException failureOf(String url) {
        ObjectNode settings = Json.object().put("url", url).put("timeout_ms", 5000);
        NodeException[] caught = new NodeException[1];
        assertThatThrownBy(() -> node.run(new NodeCall(1, "fetch", settings, Json.object(), 1, Duration.ofSeconds(5))))
                .isInstanceOfSatisfying(NodeException.class, e -> caught[0] = e);
        return caught[0];
    }

    @Test
    void a_connection_closed_or_reset_before_the_answer_is_told_from_one_never_made() {
        // as clients wrap them: Jetty's completes with the bare cause, the JDK's wraps it in a CompletionException
        Throwable closed = new CompletionException(new java.io.IOException("failed",
                new java.io.EOFException("HttpConnectionOverHTTP@1::DecryptedEndPoint@2")));
        Throwable reset = new java.net.SocketException("Connection reset");
        Throwable refused = new java.net.ConnectException();
        Throwable refusedByJdk = new java.net.ConnectException(null);
        refusedByJdk.initCause(new java.nio.channels.ClosedChannelException());
        Throwable timeout = new java.net.SocketTimeoutException("Read timed out");

        assertThat(NetworkFailure.kind(closed)).isEqualTo(NetworkFailure.Kind.CLOSED);
        assertThat(NetworkFailure.kind(reset)).isEqualTo(NetworkFailure.Kind.RESET);
        assertThat(NetworkFailure.kind(refusedByJdk)).isEqualTo(NetworkFailure.Kind.NOT_CONNECTED);
        assertThat(NetworkFailure.kind(new IllegalStateException("no"))).isEqualTo(NetworkFailure.Kind.OTHER);
        // only a connection that was open and ended early may carry an idempotent request again
        assertThat(NetworkFailure.closedBeforeAnswer(closed)).isTrue();
        assertThat(NetworkFailure.closedBeforeAnswer(reset)).isTrue();
        assertThat(NetworkFailure.closedBeforeAnswer(refused)).isFalse();
        assertThat(NetworkFailure.closedBeforeAnswer(refusedByJdk)).isFalse();
        assertThat(NetworkFailure.closedBeforeAnswer(timeout)).isFalse();
        // and the words say the same as the kind
        assertThat(NetworkFailure.describe(closed, "127.0.0.1:80"))
                .isEqualTo("127.0.0.1:80 closed the connection before answering");
        assertThat(NetworkFailure.describe(reset, null)).isEqualTo("the connection to the server was reset");
        assertThat(NetworkFailure.describe(refusedByJdk, "h:1"))
                .isEqualTo("could not connect to h:1: connection refused");
        assertThat(NetworkFailure.describe(timeout, "h:1")).isEqualTo("h:1 gave no answer in time");
    }

    @Test
    void a_refused_connection_names_the_host_and_port() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closed = socket.getLocalPort();
        }
        NodeException e = failureOf("http://127.0.0.1:" + closed + "/items");
        assertThat(e.type()).isEqualTo("http_error");
        assertThat(e.getMessage()).isEqualTo("GET http://127.0.0.1:" + closed + "/items: could not connect to 127.0.0.1:"
                + closed + ": connection refused");
    }

    @Test
    void an_unknown_host_says_the_name_is_unknown() {
        NodeException e = failureOf("http://no-such-host.invalid/items");
        assertThat(e.type()).isEqualTo("http_error");
        assertThat(e.getMessage()).contains("no-such-host.invalid").contains("unknown").doesNotContain("Exception");
    }

    @Test
    void tls_to_a_server_that_speaks_plain_http_says_the_secure_connection_failed() throws Exception {
        // a server that answers plain HTTP to whatever it is sent, as a plain HTTP port does when a TLS hello arrives;
        // the handshake is made with a blocking socket, whose failure is the real SSLException a client sees (the JDK
        // HttpClient has been seen, in one environment, to wait for its timeout on such an answer instead)
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Thread answer = new Thread(() -> {
                try (Socket socket = server.accept()) {
                    socket.setSoTimeout(10_000);
                    socket.getInputStream().read(new byte[4096]);
                    socket.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    socket.getOutputStream().flush();
                    byte[] sink = new byte[4096];
                    while (socket.getInputStream().read(sink) >= 0) {
                        // read what the client sends until it hangs up, so that closing resets nothing unread
                    }
                } catch (IOException ignored) {
                    // the client hung up: what the test wants
                }
            });
            answer.setDaemon(true);
            answer.start();
            int port = server.getLocalPort();
            Throwable failure;
            try (SSLSocket tls = (SSLSocket) SSLContext.getDefault().getSocketFactory().createSocket("127.0.0.1", port)) {
                tls.setSoTimeout(10_000);
                failure = org.assertj.core.api.Assertions.catchThrowable(tls::startHandshake);
            }
            assertThat(failure).isInstanceOf(SSLException.class);
            assertThat(NetworkFailure.describe(failure, "127.0.0.1:" + port))
                    .startsWith("the secure connection (TLS) to 127.0.0.1:" + port + " failed")
                    .doesNotContain("Exception");
            answer.join(5_000);
        }
    }

    @Test
    void the_http_clients_own_failures_are_described_without_class_names() {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Throwable unknown = client.sendAsync(HttpRequest.newBuilder(URI.create("http://no-such-host.invalid/")).build(),
                HttpResponse.BodyHandlers.discarding()).handle((r, e) -> e).join();
        assertThat(NetworkFailure.describe(unknown, "no-such-host.invalid:80"))
                .isEqualTo("could not connect to no-such-host.invalid:80: the host name is unknown (DNS lookup failed)");
        assertThat(NetworkFailure.describe(new CompletionException(new java.net.ConnectException()), "api.example.com:443"))
                .isEqualTo("could not connect to api.example.com:443: connection refused");
        assertThat(NetworkFailure.message(new IllegalStateException())).isEqualTo("an unexpected error without a message");
    }
}
