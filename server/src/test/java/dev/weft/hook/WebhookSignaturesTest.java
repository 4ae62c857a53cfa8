package dev.weft.hook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.api.TestServer;
import dev.weft.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The signature presets over real HTTP, each request signed here the way the sender's documentation says (GitHub:
 * {@code sha256=} and the hex HMAC-SHA256 of the raw body; Stripe: {@code t=<seconds>,v1=<hex HMAC-SHA256 of
 * "t.body">}), independently of Weft's code; a refused request stores nothing.
 */
class WebhookSignaturesTest {

    /** GitHub's documented test values ("Validating webhook deliveries"). */
    static final String GITHUB_DOC_SECRET = "It's a Secret to Everybody";
    static final String GITHUB_DOC_PAYLOAD = "Hello, World!";
    static final String GITHUB_DOC_SIGNATURE =
            "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    static final String STRIPE_SECRET = "whsec_test_5f2d0c7e9b";

    static TestServer server;
    static HookClient hooks;
    static long hello;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        hooks = new HookClient(server);
        hello = server.publishFlow(TestServer.example("hello.json"));
        hooks.credential("github-doc", GITHUB_DOC_SECRET);
        hooks.credential("stripe-secret", STRIPE_SECRET);
        hooks.credential("hmac-secret", "generic-secret-31");
        hooks.credential("static-token", "let-me-in-7f3a");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String hmacHex(String secret, String data) {
        return HexFormat.of().formatHex(hmac("HmacSHA256", secret, data));
    }

    static byte[] hmac(String algorithm, String secret, String data) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode signed(String preset, String credential) {
        ObjectNode settings = Json.object();
        settings.putObject("signature").put("preset", preset).put("secret_credential", credential);
        return settings;
    }

    @Test
    void github_documented_test_vector_is_accepted_and_its_body_reaches_the_flow() {
        assertThat("sha256=" + hmacHex(GITHUB_DOC_SECRET, GITHUB_DOC_PAYLOAD)).isEqualTo(GITHUB_DOC_SIGNATURE);
        ObjectNode settings = signed("github", "github-doc").put("mapping", "{\"name\": body}");
        settings.putObject("answer").put("mode", "wait").put("wait_seconds", 10);
        String token = hooks.token(hello, settings);

        TestServer.Answer answer = hooks.post(token, GITHUB_DOC_PAYLOAD.getBytes(StandardCharsets.UTF_8), "text/plain",
                "X-Hub-Signature-256", GITHUB_DOC_SIGNATURE);

        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        assertThat(answer.json().path("status").asInt()).isEqualTo(3);
        assertThat(answer.json().path("result").path("greeting").asText()).isEqualTo("Hello, Hello, World!!");
        assertThat(answer.json().path("trigger").path("kind").asText()).isEqualTo("webhook");
    }

    @Test
    void github_bad_or_missing_signature_is_401_and_starts_nothing() {
        TestServer.Answer made = hooks.create(hello, signed("github", "github-doc"));
        String token = made.json().path("token").asText();
        String webhook = made.json().path("id").asText();
        String body = "{\"name\": \"Ada\"}";

        TestServer.Answer wrong = hooks.postJson(token, body, "X-Hub-Signature-256",
                "sha256=" + hmacHex("another secret", body));
        TestServer.Answer tampered = hooks.postJson(token, "{\"name\": \"Eve\"}", "X-Hub-Signature-256",
                "sha256=" + hmacHex(GITHUB_DOC_SECRET, body));
        TestServer.Answer missing = hooks.postJson(token, body);

        for (TestServer.Answer refused : new TestServer.Answer[] {wrong, tampered, missing}) {
            assertThat(refused.status()).as(refused.text()).isEqualTo(401);
            assertThat(refused.contentType()).isEqualTo("application/problem+json");
            assertThat(refused.json().path("errors").get(0).path("field").asText()).isEqualTo("X-Hub-Signature-256");
        }
        assertThat(hooks.tasks(hello, webhook)).isZero();
        TestServer.Answer good = hooks.postJson(token, body, "X-Hub-Signature-256",
                "sha256=" + hmacHex(GITHUB_DOC_SECRET, body));
        assertThat(good.status()).as(good.text()).isEqualTo(202);
        assertThat(hooks.tasks(hello, webhook)).isEqualTo(1);
    }

    @Test
    void github_redelivery_of_an_accepted_delivery_id_is_refused() {
        TestServer.Answer made = hooks.create(hello, signed("github", "github-doc"));
        String token = made.json().path("token").asText();
        String body = "{\"name\": \"Grace\"}";
        String signature = "sha256=" + hmacHex(GITHUB_DOC_SECRET, body);

        TestServer.Answer first = hooks.postJson(token, body, "X-Hub-Signature-256", signature,
                "X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958");
        TestServer.Answer again = hooks.postJson(token, body, "X-Hub-Signature-256", signature,
                "X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958");

        assertThat(first.status()).isEqualTo(202);
        assertThat(again.status()).as(again.text()).isEqualTo(409);
        assertThat(again.json().path("detail").asText()).contains("task " + first.json().path("id").asLong());
        assertThat(hooks.tasks(hello, made.json().path("id").asText())).isEqualTo(1);
    }

    private static String stripeHeader(long t, String body, String secret) {
        return "t=" + t + ",v1=" + hmacHex(secret, t + "." + body) + ",v0=6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39";
    }

    @Test
    void stripe_signature_within_the_tolerance_is_accepted_once() {
        TestServer.Answer made = hooks.create(hello, signed("stripe", "stripe-secret"));
        String token = made.json().path("token").asText();
        String body = "{\"name\": \"Lin\"}";
        long now = Instant.now().getEpochSecond();

        TestServer.Answer good = hooks.postJson(token, body, "Stripe-Signature", stripeHeader(now, body, STRIPE_SECRET));
        TestServer.Answer replay = hooks.postJson(token, body, "Stripe-Signature", stripeHeader(now, body, STRIPE_SECRET));

        assertThat(good.status()).as(good.text()).isEqualTo(202);
        assertThat(good.json().path("id").asLong()).isPositive();
        assertThat(replay.status()).as(replay.text()).isEqualTo(409);
        assertThat(replay.contentType()).isEqualTo("application/problem+json");
        assertThat(hooks.tasks(hello, made.json().path("id").asText())).isEqualTo(1);
    }

    @Test
    void stripe_bad_signature_old_and_future_timestamps_are_401_and_start_nothing() {
        ObjectNode settings = signed("stripe", "stripe-secret");
        ((ObjectNode) settings.get("signature")).put("tolerance_seconds", 300);
        TestServer.Answer made = hooks.create(hello, settings);
        String token = made.json().path("token").asText();
        String body = "{\"name\": \"Lin\"}";
        long now = Instant.now().getEpochSecond();

        TestServer.Answer bad = hooks.postJson(token, body, "Stripe-Signature", stripeHeader(now, body, "whsec_other"));
        TestServer.Answer old = hooks.postJson(token, body, "Stripe-Signature", stripeHeader(now - 600, body, STRIPE_SECRET));
        TestServer.Answer future = hooks.postJson(token, body, "Stripe-Signature", stripeHeader(now + 600, body, STRIPE_SECRET));
        TestServer.Answer unsigned = hooks.postJson(token, body, "Stripe-Signature", "t=" + now);

        for (TestServer.Answer refused : new TestServer.Answer[] {bad, old, future, unsigned}) {
            assertThat(refused.status()).as(refused.text()).isEqualTo(401);
            assertThat(refused.json().path("errors").get(0).path("field").asText()).isEqualTo("Stripe-Signature");
        }
        assertThat(old.json().path("detail").asText()).contains("600 s old").contains("300 s");
        assertThat(future.json().path("detail").asText()).contains("in the future");
        assertThat(hooks.tasks(hello, made.json().path("id").asText())).isZero();
    }

    @Test
    void generic_hmac_in_base64_with_a_prefix_is_checked() {
        ObjectNode settings = signed("hmac", "hmac-secret");
        ((ObjectNode) settings.get("signature")).put("header", "X-Shop-Hmac").put("encoding", "base64").put("prefix", "v=");
        TestServer.Answer made = hooks.create(hello, settings);
        String token = made.json().path("token").asText();
        String body = "{\"name\": \"Kay\"}";
        String signature = "v=" + Base64.getEncoder().encodeToString(hmac("HmacSHA256", "generic-secret-31", body));

        TestServer.Answer good = hooks.postJson(token, body, "X-Shop-Hmac", signature);
        TestServer.Answer noPrefix = hooks.postJson(token, body, "X-Shop-Hmac", signature.substring(2));
        TestServer.Answer wrong = hooks.postJson(token, body, "X-Shop-Hmac",
                "v=" + Base64.getEncoder().encodeToString(hmac("HmacSHA256", "nope", body)));

        assertThat(good.status()).as(good.text()).isEqualTo(202);
        assertThat(noPrefix.status()).isEqualTo(401);
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().path("errors").get(0).path("field").asText()).isEqualTo("X-Shop-Hmac");
        assertThat(hooks.tasks(hello, made.json().path("id").asText())).isEqualTo(1);
    }

    @Test
    void static_header_must_carry_the_secret() {
        ObjectNode settings = signed("header", "static-token");
        ((ObjectNode) settings.get("signature")).put("header", "X-Hook-Token");
        TestServer.Answer made = hooks.create(hello, settings);
        String token = made.json().path("token").asText();

        TestServer.Answer good = hooks.postJson(token, "{\"name\": \"Sam\"}", "X-Hook-Token", "let-me-in-7f3a");
        TestServer.Answer wrong = hooks.postJson(token, "{\"name\": \"Sam\"}", "X-Hook-Token", "let-me-in-7f3b");
        TestServer.Answer missing = hooks.postJson(token, "{\"name\": \"Sam\"}");

        assertThat(good.status()).as(good.text()).isEqualTo(202);
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(missing.status()).isEqualTo(401);
        assertThat(hooks.tasks(hello, made.json().path("id").asText())).isEqualTo(1);
    }
}
