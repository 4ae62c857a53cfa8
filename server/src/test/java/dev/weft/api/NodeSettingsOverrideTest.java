package dev.weft.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.json.Json;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Which node settings a run may override through {@code node_settings}: the flow author's choice per node. */
class NodeSettingsOverrideTest {

    static final String CODE = "return {out: 'hello ' + inputs.name};";

    static TestServer server;
    static String key;
    static long locked;
    static long opened;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        key = server.newKeyAuth("caller");
        locked = server.publishFlow(CodeFlows.flow(CODE, null));
        opened = server.publishFlow(CodeFlows.flow(CODE, List.of("code")));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static TestServer.Answer execute(long flow, String nodeSettings) {
        return server.post("/api/v1/scade/flow/" + flow + "/execute?wait=10",
                "{\"node_settings\": " + nodeSettings + "}", key);
    }

    private static int tasks(long flow) {
        return server.get("/api/v1/tasks?flow_id=" + flow, TestServer.ADMIN_AUTH).json().path("tasks").size();
    }

    @Test
    void a_run_that_replaces_a_code_nodes_code_is_refused_naming_the_setting_and_nothing_is_stored() {
        int before = tasks(locked);

        TestServer.Answer answer = execute(locked, """
                {"start": {"data": {"name": "Ada"}}, "calc": {"data": {"code": "return {out: 'pwned'};"}}}""");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.json()).isEqualTo(Json.read("""
                {"type": "/problems/invalid-input", "title": "Invalid input", "status": 400,
                 "detail": "the run's inputs are invalid",
                 "errors": [{"field": "node_settings.calc.data.code", "message": "is not overridable on this node;\
                 the flow's author can allow it with \\"overridable\\": [\\"code\\"] on node 'calc'\
                 (see docs/api.md, \\"Overriding node settings\\")"}]}"""));
        assertThat(tasks(locked)).as("no task was stored").isEqualTo(before);
    }

    @Test
    void start_inputs_and_unlocked_settings_stay_overridable_by_default() {
        TestServer.Answer answer = execute(locked, """
                {"start": {"data": {"name": "Ada"}}, "calc": {"data": {"timeout_ms": 2000}}}""");

        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        assertThat(answer.json().path("result").path("result").asText()).isEqualTo("hello Ada");
    }

    @Test
    void a_setting_the_author_opened_may_be_overridden() {
        TestServer.Answer answer = execute(opened, """
                {"start": {"data": {"name": "Ada"}}, "calc": {"data": {"code": "return {out: 'bye ' + inputs.name};"}}}""");

        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        assertThat(answer.json().path("result").path("result").asText()).isEqualTo("bye Ada");
    }

    @Test
    void a_list_of_opened_settings_locks_every_other_one() {
        TestServer.Answer answer = execute(opened, """
                {"start": {"data": {"name": "Ada"}}, "calc": {"data": {"timeout_ms": 2000}}}""");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().path("errors").get(0).path("field").asText())
                .isEqualTo("node_settings.calc.data.timeout_ms");
    }

    @Test
    void a_bad_overridable_value_is_refused_at_save_naming_its_path() {
        int flowsBefore = server.get("/api/v1/flows", TestServer.ADMIN_AUTH).json().path("flows").size();

        TestServer.Answer notAList = server.post("/api/v1/flows", CodeFlows.flow(CODE, "yes"), TestServer.ADMIN_AUTH);
        TestServer.Answer unknown = server.post("/api/v1/flows", CodeFlows.flow(CODE, List.of("url")),
                TestServer.ADMIN_AUTH);

        assertThat(notAList.status()).isEqualTo(400);
        assertThat(notAList.json().path("errors")).extracting(e -> e.path("field").asText() + ": "
                + e.path("message").asText()).containsExactly("nodes[1].overridable: must be true (every setting),"
                + " false (none) or an array of setting names");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().path("errors")).extracting(e -> e.path("field").asText() + ": "
                + e.path("message").asText()).containsExactly("nodes[1].overridable: 'url' is not a setting of a"
                + " code node (settings: code, timeout_ms, memory_mb)");
        JsonNode flows = server.get("/api/v1/flows", TestServer.ADMIN_AUTH).json().path("flows");
        assertThat(flows.size()).as("nothing was saved").isEqualTo(flowsBefore);
    }
}
