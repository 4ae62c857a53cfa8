package dev.weft.api;

import dev.weft.http.ApiException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.engine.testing.ManualClock;
import dev.weft.auth.ServerKeys;
import dev.weft.store.Database;
import dev.weft.store.JdbcKeyStore;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Server keys limited to some flows ({@code flow_ids}: 403 elsewhere) and given an expiry ({@code expires_at}). */
class KeyScopesTest {

    static TestServer server;
    static long mine;
    static long other;
    static String scoped;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        mine = server.publishFlow(TestServer.example("hello.json"));
        other = server.publishFlow(TestServer.example("hello.json"));
        TestServer.Answer created = server.post("/api/v1/keys", "{\"name\": \"app\", \"flow_ids\": [" + mine + "]}",
                TestServer.ADMIN_AUTH);
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().path("flow_ids")).extracting(JsonNode::asLong).containsExactly(mine);
        scoped = "Basic " + created.json().path("key").asText();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static TestServer.Answer execute(long flow, String auth) {
        return server.post("/api/v1/scade/flow/" + flow + "/execute?wait=5",
                "{\"node_settings\": {\"start\": {\"data\": {\"name\": \"Ada\"}}}}", auth);
    }

    @Test
    void a_scoped_key_runs_its_flows_and_gets_403_naming_any_other() {
        assertThat(execute(mine, scoped).status()).isEqualTo(200);

        TestServer.Answer refused = execute(other, scoped);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.contentType()).isEqualTo("application/problem+json");
        assertThat(refused.json().path("type").asText()).isEqualTo("/problems/forbidden");
        assertThat(refused.json().path("detail").asText())
                .isEqualTo("server key 'app' may use only flow " + mine + "; flow " + other + " is outside its scope");
        assertThat(refused.json().path("errors").get(0).path("field").asText()).isEqualTo("flow_id");
    }

    @Test
    void a_scoped_key_cannot_see_or_act_on_tasks_of_other_flows() {
        long task = execute(other, TestServer.ADMIN_AUTH).json().path("id").asLong();
        for (String path : List.of("", "/steps", "/events", "/deliveries")) {
            TestServer.Answer answer = server.get("/api/v1/task/" + task + path, scoped);
            assertThat(answer.status()).as(path).isEqualTo(403);
            assertThat(answer.json().path("detail").asText()).contains("flow " + other);
        }
        assertThat(server.post("/api/v1/task/" + task + "/cancel", null, scoped).status()).isEqualTo(403);
        assertThat(server.post("/api/v1/task/" + task + "/retry", null, scoped).status()).isEqualTo(403);
        long own = execute(mine, scoped).json().path("id").asLong();
        assertThat(server.get("/api/v1/task/" + own, scoped).status()).isEqualTo(200);
    }

    @Test
    void scopes_and_expiries_are_checked_when_the_key_is_made() {
        String future = Instant.now().plus(Duration.ofDays(30)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        TestServer.Answer created = server.post("/api/v1/keys", "{\"name\": \"until\", \"expires_at\": \"" + future
                + "\"}", TestServer.ADMIN_AUTH);
        assertThat(created.status()).isEqualTo(201);
        assertThat(Instant.parse(created.json().path("expires_at").asText())).isEqualTo(Instant.parse(future));
        assertThat(created.json().path("flow_ids").isNull()).isTrue();

        String[][] refusals = {
                {"{\"name\": \"x\", \"flow_ids\": [424242]}", "flow_ids[0]"},
                {"{\"name\": \"x\", \"flow_ids\": [1, \"two\"]}", "flow_ids[1]"},
                {"{\"name\": \"x\", \"flow_ids\": []}", "flow_ids"},
                {"{\"name\": \"x\", \"flow_ids\": 3}", "flow_ids"},
                {"{\"name\": \"x\", \"expires_at\": \"2020-01-01T00:00:00Z\"}", "expires_at"},
                {"{\"name\": \"x\", \"expires_at\": \"next week\"}", "expires_at"}};
        for (String[] refusal : refusals) {
            TestServer.Answer answer = server.post("/api/v1/keys", refusal[0], TestServer.ADMIN_AUTH);
            assertThat(answer.status()).as(refusal[0]).isEqualTo(400);
            assertThat(answer.json().path("errors").get(0).path("field").asText()).as(refusal[0]).isEqualTo(refusal[1]);
        }
        JsonNode listed = server.get("/api/v1/keys", TestServer.ADMIN_AUTH).json().path("keys");
        assertThat(listed.findValuesAsText("name")).doesNotContain("x");
    }

    @Test
    void an_expired_key_is_refused() throws Exception {
        ManualClock clock = new ManualClock();
        try (Database database = Database.openSqlite(Files.createTempDirectory("weft-expiry"))) {
            ServerKeys keys = new ServerKeys(new JdbcKeyStore(database, clock), clock);
            ServerKeys.Created key = keys.create("short", clock.instant().plus(Duration.ofHours(1)), null);
            String auth = "Basic " + key.key();
            assertThat(keys.authenticate(auth).id()).isEqualTo(key.record().id());
            clock.advance(Duration.ofHours(2));
            assertThatThrownBy(() -> keys.authenticate(auth)).isInstanceOf(ApiException.class)
                    .hasMessageContaining("expired");
        }
    }
}
