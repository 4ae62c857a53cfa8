package dev.weft.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Through the run API: one key's code run that rewrites built-ins changes nothing for another key's flow. */
class CodeIsolationApiTest {

    static final String PROBE = "return {out: JSON.stringify(JSON.parse('{\"a\": 1}')) + ' '"
            + " + [1, 2].reduce(function (a, b) { return a + b; }, 0) + ' ' + typeof ({}).stolen};";
    static final String ATTACK = """
            Object.defineProperty(JSON, 'parse', {value: function () { return {evil: true}; }});
            Object.defineProperty(Array.prototype, 'reduce', {value: function () { return 'evil'; }});
            Object.defineProperty(Object.prototype, 'stolen', {get: function () { return 'yes'; }});
            """ + PROBE;

    static TestServer server;
    static long attacker;
    static long victim;
    static String keyA;
    static String keyB;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        attacker = server.publishFlow(CodeFlows.flow(ATTACK, null));
        victim = server.publishFlow(CodeFlows.flow(PROBE, null));
        keyA = scopedKey("a", attacker);
        keyB = scopedKey("b", victim);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String scopedKey(String name, long flow) {
        TestServer.Answer created = server.post("/api/v1/keys",
                "{\"name\": \"" + name + "\", \"flow_ids\": [" + flow + "]}", TestServer.ADMIN_AUTH);
        assertThat(created.status()).isEqualTo(201);
        return "Basic " + created.json().path("key").asText();
    }

    private static String result(long flow, String key) {
        TestServer.Answer answer = server.post("/api/v1/scade/flow/" + flow + "/execute?wait=10",
                "{\"node_settings\": {\"start\": {\"data\": {\"name\": \"x\"}}}}", key);
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        JsonNode task = answer.json();
        assertThat(task.path("state").asText()).as(answer.text()).isEqualTo("completed");
        return task.path("result").path("result").asText();
    }

    @Test
    void built_ins_rewritten_by_one_keys_code_are_pristine_in_another_keys_flow() {
        for (int round = 0; round < 3; round++) {
            assertThat(result(attacker, keyA)).as("the attack works inside its own run").isEqualTo("{\"evil\":true} evil string");
            assertThat(result(victim, keyB)).isEqualTo("{\"a\":1} 3 undefined");
        }
    }
}
