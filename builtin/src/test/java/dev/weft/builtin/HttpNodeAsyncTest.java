package dev.weft.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.weft.engine.Graph;
import dev.weft.engine.testing.TestEngine;
import dev.weft.flow.EndNode;
import dev.weft.flow.Flow;
import dev.weft.flow.FlowValidator;
import dev.weft.flow.StartNode;
import dev.weft.json.Json;
import dev.weft.registry.NodeRegistry;
import dev.weft.task.TaskOutcome;
import dev.weft.task.TaskState;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * http steps wait on the HTTP client, not on node threads: four parallel requests on an engine with one node thread
 * are all in flight at once. The upstream answers none of them until all four arrived (a request held on the only
 * node thread would keep the others from being sent, and the upstream would answer 503 after its wait).
 */
class HttpNodeAsyncTest {

    private static final int BRANCHES = 4;
    private final CountDownLatch arrived = new CountDownLatch(BRANCHES);
    private final ExecutorService handlers = Executors.newCachedThreadPool();
    private HttpServer upstream;

    @BeforeEach
    void start() throws Exception {
        upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        upstream.setExecutor(handlers);
        upstream.createContext("/", exchange -> {
            arrived.countDown();
            boolean all;
            try {
                all = arrived.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                all = false;
            }
            byte[] body = (all ? "together" : "alone").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(all ? 200 : 503, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        upstream.start();
    }

    @AfterEach
    void stop() {
        upstream.stop(0);
        handlers.shutdownNow();
    }

    @Test
    void parallel_requests_are_all_in_flight_on_one_node_thread() throws Exception {
        String url = "http://127.0.0.1:" + upstream.getAddress().getPort() + "/";
        StringBuilder nodes = new StringBuilder();
        StringBuilder edges = new StringBuilder();
        StringBuilder outputs = new StringBuilder();
        for (int i = 0; i < BRANCHES; i++) {
            nodes.append(",{\"id\": \"get").append(i).append("\", \"type\": \"http\", \"settings\": {\"url\": \"")
                    .append(url).append("\", \"response\": \"text\"}}");
            edges.append(",{\"from_node\": \"start\", \"to_node\": \"get").append(i)
                    .append("\", \"fields_mapping\": [{\"from_field\": \"n\", \"to_field\": \"@\"}]}")
                    .append(",{\"from_node\": \"get").append(i).append("\", \"to_node\": \"end\", ")
                    .append("\"fields_mapping\": [{\"from_field\": \"body\", \"to_field\": \"b").append(i)
                    .append("\"}]}");
            outputs.append(i == 0 ? "" : ",").append("\"b").append(i).append("\": {\"type\": \"string\"}");
        }
        String document = "{\"name\": \"fan-out\", \"nodes\": ["
                + "{\"id\": \"start\", \"type\": \"start\","
                + " \"settings\": {\"inputs\": {\"n\": {\"type\": \"integer\"}}}}"
                + nodes + ",{\"id\": \"end\", \"type\": \"end\", \"settings\": {\"outputs\": {" + outputs + "}}}],"
                + "\"edges\": [" + edges.substring(1) + "]}";

        try (TestEngine engine = TestEngine.pooled(1)) {
            NodeRegistry registry = new NodeRegistry(List.of(new StartNode(), new EndNode(),
                    new HttpNode(new HttpNode.Options(true, 1024, 0))));
            Flow flow = new FlowValidator(registry).check(Json.read(document));
            TaskOutcome outcome = engine.start(Graph.compile(flow, registry, "start", "end", "end"))
                    .get(20, TimeUnit.SECONDS);

            assertThat(outcome.state()).as(String.valueOf(outcome.error())).isEqualTo(TaskState.COMPLETED);
            for (int i = 0; i < BRANCHES; i++) assertThat(outcome.result().get("b" + i).asText()).isEqualTo("together");
        }
    }
}
