package dev.weft.api;

import dev.weft.http.ProblemMapper;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.engine.testing.Flows;
import dev.weft.flow.FlowDocument;
import dev.weft.json.Json;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Flows as long as the size limits admit are saved, published and run; longer ones are refused with a 400. */
class LongFlowTest {

    static final String ADMIN = TestServer.ADMIN_AUTH;
    static final int CHAIN_AT_LIMIT = FlowDocument.MAX_NODES - 2;   // plus its start and end node
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void a_chain_at_the_node_limit_is_saved_published_and_run() {
        String document = Json.write(Flows.chain("merge", CHAIN_AT_LIMIT).document());

        TestServer.Answer created = server.post("/api/v1/flows", document, ADMIN);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        long id = created.json().path("id").asLong();
        TestServer.Answer published = server.post("/api/v1/flows/" + id + "/publish", null, ADMIN);
        assertThat(published.status()).as(published.text()).isEqualTo(201);
        TestServer.Answer run = server.post("/api/v1/scade/flow/" + id + "/execute", "{\"node_settings\": {\"start\": {\"data\": {\"n\": 7}}}}", ADMIN);
        assertThat(run.status()).as(run.text()).isIn(200, 201, 202);
        JsonNode task = server.awaitTask(run.json().path("id").asLong(), ADMIN, Duration.ofSeconds(120));
        assertThat(task.path("state").asText()).as(task.toString()).isEqualTo("completed");
        assertThat(task.path("result")).isEqualTo(Json.read("{\"n\": 7}"));
    }

    @Test
    void a_flow_one_node_over_the_limit_is_refused_naming_nodes_and_nothing_is_stored() {
        int before = server.get("/api/v1/flows", ADMIN).json().path("flows").size();
        String document = Json.write(Flows.chain("merge", CHAIN_AT_LIMIT + 1).document());

        TestServer.Answer answer = server.post("/api/v1/flows", document, ADMIN);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.contentType()).isEqualTo(ProblemMapper.CONTENT_TYPE);
        assertThat(answer.json().path("errors").get(0).path("field").asText()).isEqualTo("nodes");
        assertThat(answer.json().path("errors").get(0).path("message").asText())
                .isEqualTo("a flow may have at most 10000 nodes (this one has 10001)");
        assertThat(server.get("/api/v1/flows", ADMIN).json().path("flows").size()).isEqualTo(before);
    }

    @Test
    void a_cycle_through_thousands_of_nodes_is_refused_naming_the_cycle() {
        ObjectNode document = Flows.chain("merge", CHAIN_AT_LIMIT).document();
        ((com.fasterxml.jackson.databind.node.ArrayNode) document.path("edges")).addObject()
                .put("from_node", "merge" + CHAIN_AT_LIMIT).put("to_node", "merge1")
                .putArray("fields_mapping").addObject().put("from_field", "n").put("to_field", "m");

        TestServer.Answer answer = server.post("/api/v1/flows", Json.write(document), ADMIN);

        assertThat(answer.status()).as(answer.text()).isEqualTo(400);
        JsonNode error = answer.json().path("errors").get(0);
        assertThat(error.path("field").asText()).isEqualTo("edges");
        assertThat(error.path("message").asText())
                .startsWith("the edges form a cycle: merge1 -> merge2 -> ")
                .endsWith(" -> merge" + CHAIN_AT_LIMIT + " -> merge1");
    }
}
