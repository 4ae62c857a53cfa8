package dev.weft.hook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.api.TestServer;
import dev.weft.json.Json;
import dev.weft.server.ServerConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A webhook's wait is capped by the server's longest wait ({@code WEFT_WAIT_MAX_SECONDS}), as execute's is. */
class WebhookWaitCapTest {

    @Test
    void a_webhook_waits_no_longer_than_the_servers_wait_max() {
        try (TestServer server = TestServer.start(c -> new ServerConfig(c.host(), c.port(), c.dataDir(), c.adminToken(),
                c.workerSlots(), c.nodeThreads(), c.maxBodyBytes(), c.allowPrivateHttp(), Duration.ofMillis(300), c.http()))) {
            HookClient hooks = new HookClient(server);
            long delay = server.publishFlow(TestServer.example("delay.json"));   // its delay node takes 1.5 s
            var settings = Json.object();
            settings.putObject("answer").put("mode", "wait").put("wait_seconds", 60);
            String token = hooks.token(delay, settings);

            TestServer.Answer answer = hooks.postJson(token, "{\"name\": \"Ada\"}");

            assertThat(answer.status()).as(answer.text()).isEqualTo(202);
            assertThat(answer.json().path("status").asInt()).isLessThan(3);
        }
    }
}
