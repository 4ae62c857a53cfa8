package dev.weft.ui;

import dev.weft.auth.SessionFilter;
import dev.weft.auth.SignInGuard;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.api.TestServer;
import dev.weft.server.RawHttp;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Sign-in budgets through a real server: a stranger at one address gets 429, the owner at another signs in. */
class SignInLimitsTest {

    static final String PASSWORD = "correct horse battery";
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        assertThat(server.post("/api/v1/session/setup", "{\"password\": \"" + PASSWORD + "\"}", null).status()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static RawHttp.Reply signIn(String from, String password) {
        byte[] body = ("{\"password\": \"" + password + "\"}").getBytes(StandardCharsets.UTF_8);
        return RawHttp.exchange(from, server.port(), RawHttp.head("POST", "/api/v1/session",
                "Content-Type: application/json", "Content-Length: " + body.length,
                "X-Forwarded-For: 127.0.0.9"), body, Duration.ofSeconds(30));
    }

    @Test
    void a_stranger_is_refused_with_retry_after_while_the_owner_signs_in_from_another_address() {
        int budget = SignInGuard.Budgets.DEFAULT.perAccountAndAddress();
        for (int i = 0; i < budget; i++) assertThat(signIn("127.0.0.7", "guess number " + i).status()).isEqualTo(401);

        RawHttp.Reply refused = signIn("127.0.0.7", PASSWORD);   // even the right password is not checked now
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertThat(retryAfter).isBetween(SignInGuard.Budgets.DEFAULT.window().toSeconds() - 60,
                SignInGuard.Budgets.DEFAULT.window().toSeconds());
        assertThat(refused.body()).contains("\"field\":\"password\"", "try again in " + retryAfter + " s");

        RawHttp.Reply owner = signIn("127.0.0.8", PASSWORD);   // the same forwarded-for header: not trusted
        assertThat(owner.status()).isEqualTo(201);
        assertThat(owner.header("Set-Cookie")).startsWith(SessionFilter.COOKIE + "=");
    }
}
