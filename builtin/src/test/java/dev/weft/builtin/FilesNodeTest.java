package dev.weft.builtin;

import static dev.weft.builtin.Calls.json;
import static dev.weft.builtin.Calls.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.weft.json.Json;
import dev.weft.node.NodeCall;
import dev.weft.node.NodeException;
import dev.weft.node.NodeOutput;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FilesNodeTest {

    private static final HttpNode.Options LOCAL = new HttpNode.Options(true, 1024, 5);
    private static final byte[] PDF = "%PDF-1.7 not really".getBytes(StandardCharsets.UTF_8);

    /** What the node stored, in memory. */
    private record Stored(byte[] bytes, String name, String contentType, long taskId, String nodeId) {}

    private final List<Stored> stored = new ArrayList<>();
    private final FileSink sink = (bytes, name, contentType, taskId, nodeId) -> {
        stored.add(new Stored(bytes, name, contentType, taskId, nodeId));
        return new FileSink.Saved("f" + stored.size(), "http://weft.test/api/v1/files/f" + stored.size(), name,
                contentType, bytes.length, sha256(bytes));
    };
    private final AtomicInteger requests = new AtomicInteger();
    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            String path = exchange.getRequestURI().getPath();
            switch (path) {
                case "/docs/report.pdf" -> {
                    exchange.getResponseHeaders().add("Content-Type", "application/pdf");
                    exchange.sendResponseHeaders(200, PDF.length);
                    exchange.getResponseBody().write(PDF);
                }
                case "/download" -> {
                    exchange.getResponseHeaders().add("Content-Disposition", "attachment; filename=\"q3 sales.csv\"");
                    exchange.getResponseHeaders().add("Content-Type", "text/csv");
                    exchange.sendResponseHeaders(200, 4);
                    exchange.getResponseBody().write("a,b\n".getBytes(StandardCharsets.UTF_8));
                }
                case "/moved" -> {
                    exchange.getResponseHeaders().add("Location", "/docs/report.pdf");
                    exchange.sendResponseHeaders(302, -1);
                }
                case "/to-private" -> {
                    exchange.getResponseHeaders().add("Location", "http://10.0.0.1/internal/secret.txt");
                    exchange.sendResponseHeaders(302, -1);
                }
                case "/chunked" -> {
                    exchange.sendResponseHeaders(200, 0);   // no length: the limit must stop it while it streams
                    for (int i = 0; i < 64; i++) exchange.getResponseBody().write(new byte[512]);
                }
                default -> exchange.sendResponseHeaders(404, -1);
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private static NodeCall call(ObjectNode settings) {
        return new NodeCall(17, "fetch", settings, Json.object(), 1, Calls.TIMEOUT);
    }

    private ObjectNode settings(String path, String more) {
        ObjectNode settings = json("{" + more + "}");
        settings.put("url", url(path));
        return settings;
    }

    @Test
    void a_fetched_file_is_stored_with_its_content_type_and_emitted_with_its_url() throws Exception {
        FilesNode node = new FilesNode(LOCAL, 1024, sink);

        NodeOutput output = node.run(call(settings("/docs/report.pdf", "")));

        assertThat(Json.write(output.data())).isEqualTo(Json.write(json("{'file_id': 'f1', 'url': 'http://weft.test/api/v1/files/f1',"
                + " 'name': 'report.pdf', 'content_type': 'application/pdf', 'size': " + PDF.length
                + ", 'sha256': '" + sha256(PDF) + "'}")));
        assertThat(stored).hasSize(1);
        assertThat(stored.get(0).bytes()).isEqualTo(PDF);
        assertThat(stored.get(0).taskId()).isEqualTo(17);
        assertThat(stored.get(0).nodeId()).isEqualTo("fetch");
    }

    @Test
    void the_name_comes_from_the_settings_then_content_disposition_and_redirects_are_followed() throws Exception {
        FilesNode node = new FilesNode(LOCAL, 1024, sink);

        assertThat(node.run(call(settings("/download", ""))).data().get("name").asText()).isEqualTo("q3 sales.csv");
        assertThat(node.run(call(settings("/download", "'name': 'dir/../kept.csv'"))).data().get("name").asText())
                .isEqualTo("kept.csv");
        NodeOutput moved = node.run(call(settings("/moved", "")));
        assertThat(moved.data().get("name").asText()).isEqualTo("report.pdf");
        assertThat(stored.get(2).bytes()).isEqualTo(PDF);
    }

    @Test
    void a_file_over_max_bytes_fails_the_step_and_stores_nothing() {
        FilesNode node = new FilesNode(LOCAL, 1024, sink);

        assertThatThrownBy(() -> node.run(call(settings("/docs/report.pdf", "'max_bytes': 10"))))
                .isInstanceOfSatisfying(NodeException.class, e -> {
                    assertThat(e.type()).isEqualTo("file_too_large");
                    assertThat(e.retryable()).isFalse();
                })
                .hasMessage("GET " + url("/docs/report.pdf") + " answered with a file over the limit of 10 bytes"
                        + " (max_bytes)");
        assertThatThrownBy(() -> node.run(call(settings("/chunked", ""))))
                .hasMessageContaining("over the limit of 1024 bytes");
        assertThat(stored).isEmpty();
    }

    @Test
    void a_private_address_is_refused_unless_the_operator_allows_it() throws Exception {
        FilesNode guarded = new FilesNode(HttpNode.Options.DEFAULT, 1024, sink);

        assertThatThrownBy(() -> guarded.run(call(settings("/docs/report.pdf", ""))))
                .isInstanceOfSatisfying(NodeException.class, e -> assertThat(e.type()).isEqualTo(AddressGuard.REFUSED))
                .hasMessageContaining("resolves to 127.0.0.1, a loopback address; set WEFT_HTTP_ALLOW_PRIVATE=true");
        assertThat(requests).hasValue(0);
        assertThat(stored).isEmpty();

        assertThat(new FilesNode(LOCAL, 1024, sink).run(call(settings("/docs/report.pdf", ""))).data()
                .get("size").asLong()).isEqualTo(PDF.length);
    }

    @Test
    void a_redirect_to_a_private_address_is_refused() {
        AddressGuard onlyThisServer = new AddressGuard(address -> address.getHostAddress().equals("127.0.0.1"));
        FilesNode node = new FilesNode(LOCAL, 1024, onlyThisServer, sink);

        assertThatThrownBy(() -> node.run(call(settings("/to-private", ""))))
                .isInstanceOfSatisfying(NodeException.class, e -> assertThat(e.type()).isEqualTo(AddressGuard.REFUSED))
                .hasMessageContaining("http://10.0.0.1/internal/secret.txt resolves to 10.0.0.1, a private address");
        assertThat(requests).hasValue(1);
        assertThat(stored).isEmpty();
    }

    @Test
    void a_non_2xx_answer_fails_the_step() {
        FilesNode node = new FilesNode(LOCAL, 1024, sink);

        assertThatThrownBy(() -> node.run(call(settings("/missing", ""))))
                .isInstanceOfSatisfying(NodeException.class, e -> {
                    assertThat(e.type()).isEqualTo(HttpNode.STATUS);
                    assertThat(e.retryable()).isFalse();
                })
                .hasMessage("GET " + url("/missing") + " answered 404, not a file");
    }

    @Test
    void bad_settings_are_named_by_path() {
        FilesNode node = new FilesNode(LOCAL, 1024, sink);

        assertThat(problems(node, "{}")).containsExactly("url: is required");
        assertThat(problems(node, "{'url': 'ftp://example.com/a', 'max_bytes': 0, 'name': 3, 'timeout_ms': 'soon'}"))
                .containsExactlyInAnyOrder(
                        "url: must be an absolute http(s) URL such as https://api.example.com/items (got ftp://example.com/a)",
                        "max_bytes: must be at least 1 (got 0)",
                        "name: must be text (got a number)",
                        "timeout_ms: must be a whole number (got text)");
        assertThat(problems(node, "{'url': 'https://example.com/a', 'max_bytes': 2048}"))
                .containsExactly("max_bytes: must be at most 1024, this Weft's file size limit (got 2048)");
        assertThat(problems(node, "{'url': '{{start.link}}', 'max_bytes': 10}")).isEmpty();
    }

    @Test
    void a_url_that_renders_wrong_fails_the_step_naming_the_setting() {
        FilesNode node = new FilesNode(LOCAL, 1024, sink);

        assertThatThrownBy(() -> node.run(call(json("{'url': 'not a url'}"))))
                .isInstanceOfSatisfying(NodeException.class, e -> assertThat(e.type()).isEqualTo(Settings.INVALID))
                .hasMessageStartingWith("settings.url: must be an absolute http(s) URL");
    }

    @Test
    void without_a_file_store_a_step_fails_saying_so() {
        FilesNode node = new FilesNode(LOCAL, 1024, FileSink.NONE);

        assertThatThrownBy(() -> node.run(call(settings("/docs/report.pdf", ""))))
                .isInstanceOfSatisfying(NodeException.class, e -> assertThat(e.type()).isEqualTo("no_file_store"));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
