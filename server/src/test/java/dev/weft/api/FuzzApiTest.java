package dev.weft.api;

import dev.weft.http.ProblemMapper;
import dev.weft.run.Idempotency;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Property-based fuzzing of the flows API and the run API against one real server: valid bodies mutated (wrong
 * types, missing fields, huge numbers, deep nesting, odd unicode, trailing text, truncation, flipped bytes) with
 * random Content-Type, Authorization and Idempotency-Key headers and random path ids. Whatever is sent, the answer
 * is never a 5xx, every 4xx is problem+json, and a 4xx changes nothing stored.
 */
class FuzzApiTest {

    /** Tries per property; two properties, so the suite sends this many mutated requests twice. */
    static final int TRIES = 500;
    static final String ADMIN = TestServer.ADMIN_AUTH;
    static final String HELLO = TestServer.example("hello.json");
    static final String EXECUTE = "{\"node_settings\": {\"start\": {\"data\": {\"name\": \"Ada\"}}}}";
    static TestServer server;
    static long flowId;
    static String keyAuth;
    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeContainer
    static void start() {
        server = TestServer.start();
        flowId = server.publishFlow(HELLO);
        keyAuth = server.newKeyAuth("fuzz");
        TestServer.Answer first = server.post("/api/v1/scade/flow/" + flowId + "/execute", EXECUTE, ADMIN);
        if (first.json().path("id").asLong() != flowId) throw new AssertionError("task 1 expected: " + first);
    }

    @AfterContainer
    static void stop() {
        server.close();
    }

    /** One generated request: method, path, headers and body bytes (null for none). */
    record Attempt(String method, String path, String contentType, String authorization, String idempotencyKey,
                   byte[] body) {
        @Override
        public String toString() {
            return method + " " + path + " [Content-Type: " + contentType + "; Authorization: " + authorization
                    + "; Idempotency-Key: " + idempotencyKey + "] "
                    + (body == null ? "no body" : abbreviate(new String(body, StandardCharsets.UTF_8)));
        }
    }

    @Property(tries = TRIES, shrinking = ShrinkingMode.OFF, seed = "20261204")
    void the_flows_api_never_fails_and_never_changes_anything_on_a_refusal(@ForAll("flowAttempts") Attempt attempt) {
        check(attempt);
    }

    @Property(tries = TRIES, shrinking = ShrinkingMode.OFF, seed = "20261205")
    void the_run_api_never_fails_and_never_changes_anything_on_a_refusal(@ForAll("runAttempts") Attempt attempt) {
        check(attempt);
    }

    /** What was stored after the last try: a refusal must leave it as it was; an acceptance moves it on. */
    private static String baseline;

    private static void check(Attempt attempt) {
        if (baseline == null) baseline = stored();
        HttpResponse<String> answer = send(attempt);
        int status = answer.statusCode();
        assertThat(status).as("status of %s: %s", attempt, answer.body()).isLessThan(500);
        if (status >= 400) {
            assertThat(answer.headers().firstValue("Content-Type").orElse(""))
                    .as("content type of %s", attempt).isEqualTo(ProblemMapper.CONTENT_TYPE);
            assertThat(Json.read(answer.body()).path("status").asInt()).as("body of %s", attempt).isEqualTo(status);
            assertThat(stored()).as("what is stored after %s answered %d", attempt, status).isEqualTo(baseline);
        } else {
            baseline = stored();
        }
    }

    /**
     * Flows, the fuzzed flow's draft and latest version, the newest task and the fuzzed task (id 1, the only task a
     * path id can name besides junk), as the API shows them: a refused request that stored a flow, a version or a
     * task, or changed the draft or the task, changes one of these.
     */
    private static String stored() {
        return server.get("/api/v1/flows", ADMIN).text() + server.get("/api/v1/flows/" + flowId, ADMIN).text()
                + server.get("/api/v1/tasks?limit=1", ADMIN).text() + server.get("/api/v1/task/" + flowId, ADMIN).text();
    }

    @Provide
    Arbitrary<Attempt> flowAttempts() {
        Arbitrary<String> route = Arbitraries.of("POST /api/v1/flows", "PUT /api/v1/flows/{id}",
                "POST /api/v1/flows/{id}/publish", "GET /api/v1/flows/{id}", "DELETE /api/v1/flows/{id}/versions");
        return attempts(route, HELLO);
    }

    @Provide
    Arbitrary<Attempt> runAttempts() {
        Arbitrary<String> route = Arbitraries.of("POST /api/v1/scade/flow/{id}/execute",
                "POST /api/v1/scade/flow/{id}/execute", "GET /api/v1/task/{id}", "POST /api/v1/task/{id}/cancel");
        return attempts(route, EXECUTE);
    }

    private static Arbitrary<Attempt> attempts(Arbitrary<String> route, String validBody) {
        Arbitrary<String> contentType = Arbitraries.of("application/json", "application/json", "application/json",
                "application/json; charset=utf-8", "application/vnd.x+json", "application/jsonx", "text/plain",
                "application/json; charset=latin1", "multipart/form-data; boundary=x", "", null);
        Arbitrary<String> authorization = Arbitraries.of(ADMIN, ADMIN, ADMIN, "KEY", null, "Bearer wrong",
                "Basic Zm9vOmJhcg==", "Basic !!!", "Bearer " + "x".repeat(5000), "Digest x");
        Arbitrary<String> idempotencyKey = Arbitraries.oneOf(Arbitraries.just(null),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(300));
        Arbitrary<String> id = Arbitraries.of("{flow}", "{flow}", "{flow}", "0", "-1", "abc", "1.5",
                "99999999999999999999", "%20", "%E2%82%AC", "1e3", "{flow}%2F1");
        return net.jqwik.api.Combinators.combine(route, contentType, authorization, idempotencyKey, id,
                        Arbitraries.longs(), Arbitraries.of(Mutation.values()))
                .as((r, type, auth, key, pathId, seed, mutation) -> {
                    String[] parts = r.split(" ", 2);
                    String path = parts[1].replace("{id}", pathId.replace("{flow}", String.valueOf(flowId)));
                    byte[] body = parts[0].equals("GET") ? null : mutation.apply(validBody, new Random(seed));
                    return new Attempt(parts[0], path, type, "KEY".equals(auth) ? keyAuth : auth, key, body);
                });
    }

    /** How a valid body is spoiled. */
    enum Mutation {
        NONE, WRONG_TYPE, MISSING_FIELD, HUGE_NUMBER, DEEP_NESTING, UNICODE, TRAILING_TEXT, TRUNCATED, FLIPPED_BYTE,
        EMPTY;

        byte[] apply(String valid, Random random) {
            JsonNode tree = Json.read(valid);
            String text = switch (this) {
                case NONE -> valid;
                case WRONG_TYPE -> Json.write(replaceOne(tree, random, scalar(random)));
                case MISSING_FIELD -> Json.write(removeOne(tree, random));
                case HUGE_NUMBER -> Json.write(tree).replaceFirst(":\\s*\"[^\"]*\"", ": " + List.of("1e400", "-1e400",
                        "1e308", "123456789012345678901234567890", "-0", "1e-400", "1" + "0".repeat(1200))
                        .get(random.nextInt(7)));
                case DEEP_NESTING -> {
                    int depth = List.of(10, 999, 1001, 5000).get(random.nextInt(4));
                    yield Json.write(tree).replaceFirst("\"Ada\"|\"Hello\"", "[".repeat(depth) + "]".repeat(depth));
                }
                case UNICODE -> Json.write(tree).replaceFirst("Ada|Hello", List.of("\\\\ud800", "\\\\udc00x",
                        "\\\\u0000", "\u00e9\u4e2d\ud83d\ude00", "\u202e", "\\\\uffff").get(random.nextInt(6)));
                case TRAILING_TEXT -> Json.write(tree) + List.of(" garbage", "{}", "]", "\u0000", " ,", "\n\n{")
                        .get(random.nextInt(6));
                case TRUNCATED -> {
                    String whole = Json.write(tree);
                    yield whole.substring(0, random.nextInt(whole.length()));
                }
                case FLIPPED_BYTE, EMPTY -> null;
            };
            if (this == EMPTY) return new byte[0];
            if (this == FLIPPED_BYTE) {
                byte[] bytes = valid.getBytes(StandardCharsets.UTF_8);
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                return bytes;
            }
            return text.getBytes(StandardCharsets.UTF_8);
        }

        private static JsonNode scalar(Random random) {
            JsonNodeFactory f = JsonNodeFactory.instance;
            return List.<JsonNode>of(f.nullNode(), f.booleanNode(true), f.numberNode(-1), f.textNode(""),
                    f.arrayNode(), f.objectNode(), f.numberNode(new BigDecimal("1e308")),
                    f.numberNode(new BigInteger("9".repeat(30))), f.textNode("{{nope}}")).get(random.nextInt(9));
        }

        /** Every object field and array element of the tree, as (container, key or index) places. */
        private static List<Object[]> places(JsonNode root) {
            List<Object[]> places = new ArrayList<>();
            List<JsonNode> todo = new ArrayList<>(List.of(root));
            while (!todo.isEmpty()) {
                JsonNode node = todo.remove(todo.size() - 1);
                if (node.isObject()) {
                    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                        String name = it.next();
                        places.add(new Object[] {node, name});
                        todo.add(node.get(name));
                    }
                } else if (node.isArray()) {
                    for (int i = 0; i < node.size(); i++) {
                        places.add(new Object[] {node, i});
                        todo.add(node.get(i));
                    }
                }
            }
            return places;
        }

        private static JsonNode replaceOne(JsonNode root, Random random, JsonNode value) {
            List<Object[]> places = places(root);
            Object[] place = places.get(random.nextInt(places.size()));
            if (place[1] instanceof String name) ((ObjectNode) place[0]).set(name, value);
            else ((ArrayNode) place[0]).set((Integer) place[1], value);
            return root;
        }

        private static JsonNode removeOne(JsonNode root, Random random) {
            List<Object[]> places = places(root);
            Object[] place = places.get(random.nextInt(places.size()));
            if (place[1] instanceof String name) ((ObjectNode) place[0]).remove(name);
            else ((ArrayNode) place[0]).remove((int) (Integer) place[1]);
            return root;
        }
    }

    private static HttpResponse<String> send(Attempt attempt) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.base() + attempt.path()))
                .timeout(Duration.ofSeconds(30))
                .method(attempt.method(), attempt.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(attempt.body()));
        if (attempt.contentType() != null) request.header("Content-Type", attempt.contentType());
        if (attempt.authorization() != null) request.header("Authorization", attempt.authorization());
        if (attempt.idempotencyKey() != null) request.header("Idempotency-Key", attempt.idempotencyKey());
        try {
            return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("no answer to " + attempt, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "... (" + text.length() + " chars)";
    }
}
