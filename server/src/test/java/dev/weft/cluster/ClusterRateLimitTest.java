package dev.weft.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.api.TestServer;
import dev.weft.run.RunApiConfig;
import dev.weft.server.ClusterConfig;
import dev.weft.store.testing.TestPostgres;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two processes on one PostgreSQL share their rate limits: a server key's (WEFT_RATE_LIMIT) and a webhook's. Requests
 * spread over both get the limit once, not once per process.
 */
class ClusterRateLimitTest {

    private static final String RUN = "{\"node_settings\": {\"start\": {\"data\": {\"name\": \"Ada\"}}}}";

    @Test
    void a_key_and_a_webhook_get_their_limit_once_across_two_processes() {
        String url = TestPostgres.newDatabase();
        RunApiConfig limited = RunApiConfig.DEFAULT.withRateLimit(0.01, 3);   // 3 at once, then one per 100 s
        try (TestServer a = TestServer.startWith(c -> c.withCluster(ClusterConfig.defaults().withDbUrl(url)).withRun(limited));
             TestServer b = TestServer.startWith(c -> c.withCluster(ClusterConfig.defaults().withDbUrl(url)).withRun(limited))) {
            long flow = a.publishFlow(TestServer.example("hello.json"));
            String execute = "/api/v1/scade/flow/" + flow + "/execute";
            String key = a.newKeyAuth("limited");
            String other = a.newKeyAuth("other");

            List<Integer> statuses = new ArrayList<>();
            for (TestServer server : List.of(a, b, a, b)) statuses.add(server.post(execute, RUN, key).status());
            assertThat(statuses).containsExactly(200, 200, 200, 429);
            TestServer.Answer refused = a.post(execute, RUN, key);
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.json().path("type").asText()).isEqualTo("/problems/rate-limited");
            assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 100L);
            assertThat(b.post(execute, RUN, other).status()).as("another key has its own bucket").isEqualTo(200);
            assertThat(a.post(execute, RUN, TestServer.ADMIN_AUTH).status()).as("the admin is not limited").isEqualTo(200);

            TestServer.Answer hook = a.post("/api/v1/flows/" + flow + "/webhooks",
                    "{\"name\": \"limited hook\", \"rate_limit\": {\"per_second\": 0.01, \"burst\": 2}}", TestServer.ADMIN_AUTH);
            assertThat(hook.status()).as(hook.text()).isEqualTo(201);
            String path = "/hooks/" + hook.json().path("token").asText();
            List<Integer> hooked = new ArrayList<>();
            for (TestServer server : List.of(a, b, a, b)) {
                hooked.add(server.send("POST", path, "{\"name\": \"Ada\"}", "application/json", null).status());
            }
            assertThat(hooked).containsExactly(202, 202, 429, 429);
        }
    }
}
