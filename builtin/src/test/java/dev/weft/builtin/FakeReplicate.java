package dev.weft.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;

/**
 * Replicate's prediction API on loopback (shared with the server's tests through this module's test jar), speaking
 * its wire protocol: {@code POST /v1/models/{owner}/{name}/predictions} with {@code {"input"}} and
 * {@code POST /v1/predictions} with {@code {"version", "input"}} answer 201 with a prediction object
 * ({@code id, model, version, input, logs, output, error, status, created_at, urls: {get, cancel, stream, web}}),
 * {@code GET /v1/predictions/{id}} answers its state, {@code POST /v1/predictions/{id}/cancel} cancels it; a missing
 * or wrong {@code Authorization: Bearer} token answers 401 with problem details, as Replicate does. Each created
 * prediction follows the next queued {@link Plan}: it stays {@code starting}/{@code processing} for a number of reads,
 * then ends; with {@code Prefer: wait} a plan that needs no reads answers final at once. The fake also serves the
 * output files it names ({@link #fileUrl}), as replicate.delivery does.
 *
 * <p>Wire details from Replicate's HTTP API reference (replicate.com/docs/reference/http): predictions.create,
 * models.predictions.create, predictions.get, predictions.cancel, and the "sync API" {@code Prefer: wait=N} header.
 */
public final class FakeReplicate implements AutoCloseable {

    /** A PNG of one transparent pixel: what a model's image output is, small. */
    public static final byte[] PNG = Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    /**
     * How a created prediction goes: {@code reads} GETs answer {@code processing} (the first read after creation
     * answers {@code processing} too, a create answers {@code starting}), then it ends with {@code status},
     * {@code output} or {@code error}. {@code reads} of -1: it never ends.
     */
    public record Plan(int reads, String status, JsonNode output, String error) {
        public static Plan succeeds(int reads, JsonNode output) {
            return new Plan(reads, "succeeded", output, null);
        }

        public static Plan fails(int reads, String error) {
            return new Plan(reads, "failed", null, error);
        }

        public static Plan never() {
            return new Plan(-1, "processing", null, null);
        }
    }

    private final class Prediction {
        final String id;
        final Plan plan;
        final ObjectNode state;
        int reads;

        Prediction(String id, Plan plan, ObjectNode state) {
            this.id = id;
            this.plan = plan;
            this.state = state;
        }

        synchronized ObjectNode read() {
            String status = state.path("status").asText();
            if (PredictionRun.TERMINAL.contains(status)) return state.deepCopy();
            if (plan.reads() >= 0 && reads >= plan.reads()) end();
            else state.put("status", "processing").put("logs", "step " + (++reads) + "\n");
            return state.deepCopy();
        }

        synchronized void end() {
            state.put("status", plan.status());
            state.set("output", plan.output() == null ? Json.MAPPER.nullNode() : plan.output());
            if (plan.error() != null) state.put("error", plan.error());
            state.put("completed_at", "2026-12-04T10:00:05.000Z");
            state.putObject("metrics").put("predict_time", 4.2);
        }
    }

    private static final Pattern MODEL_CREATE = Pattern.compile("/v1/models/([^/]+)/([^/]+)/predictions");
    private static final Pattern ONE = Pattern.compile("/v1/predictions/([a-z0-9]+)(/cancel)?");

    private final MockWebServer server = new MockWebServer();
    private final String token;
    private final ConcurrentLinkedQueue<Plan> plans = new ConcurrentLinkedQueue<>();
    private final Map<String, Prediction> predictions = new ConcurrentHashMap<>();
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicInteger throttled = new AtomicInteger();
    /** Every request received, in order. */
    public final BlockingQueue<RecordedRequest> requests = new LinkedBlockingQueue<>();
    /** The ids of the predictions cancelled, in order. */
    public final BlockingQueue<String> cancels = new LinkedBlockingQueue<>();

    /** A fake that accepts only {@code token}. */
    public FakeReplicate(String token) throws IOException {
        this.token = token;
        files.put("out.png", PNG);
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                requests.add(request);
                return answer(request);
            }
        });
        server.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    /** The API's base URL, as the node's {@code base_url}. */
    public String base() {
        return "http://127.0.0.1:" + server.getPort() + "/v1";
    }

    /** The URL of an output file the fake serves. */
    public String fileUrl(String name) {
        return "http://127.0.0.1:" + server.getPort() + "/delivery/" + name;
    }

    /** Serves {@code bytes} at {@link #fileUrl}({@code name}). */
    public FakeReplicate file(String name, byte[] bytes) {
        files.put(name, bytes);
        return this;
    }

    /** The next created prediction follows {@code plan}. */
    public FakeReplicate plan(Plan plan) {
        plans.add(plan);
        return this;
    }

    /** The next {@code count} creates are answered 429 with {@code Retry-After: 1}, as a rate limit does. */
    public FakeReplicate throttle(int count) {
        throttled.set(count);
        return this;
    }

    /** The prediction's current state, without counting as a read. */
    public JsonNode state(String id) {
        Prediction p = predictions.get(id);
        synchronized (p) {
            return p.state.deepCopy();
        }
    }

    private MockResponse answer(RecordedRequest request) {
        String path = request.getUrl().encodedPath();
        if (path.startsWith("/delivery/")) {
            byte[] bytes = files.get(path.substring("/delivery/".length()));
            return bytes == null ? problem(404, "Not found", "no such file")
                    : new MockResponse.Builder().code(200).addHeader("Content-Type", "image/png")
                    .body(new Buffer().write(bytes)).build();
        }
        if (!("Bearer " + token).equals(request.getHeaders().get("Authorization"))) {
            return problem(401, "Unauthenticated", "You did not pass a valid authentication token");
        }
        Matcher model = MODEL_CREATE.matcher(path);
        if ("POST".equals(request.getMethod()) && (model.matches() || path.equals("/v1/predictions"))) {
            if (throttled.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                return new MockResponse.Builder().code(429).addHeader("Retry-After", "1")
                        .addHeader("Content-Type", "application/problem+json")
                        .body("{\"title\": \"Request was throttled.\", \"detail\": \"Request was throttled. Expected"
                                + " available in 1 second.\", \"status\": 429}").build();
            }
            JsonNode body = Json.read(request.getBody().utf8());
            if (!body.path("input").isObject()) return problem(422, "Input validation failed", "input is required");
            if (!model.matches() && !body.path("version").isTextual()) {
                return problem(422, "Invalid version or not permitted", "version is required");
            }
            return created(model.matches() ? model.group(1) + "/" + model.group(2) : "owner/model", body,
                    request.getHeaders().get("Prefer"));
        }
        Matcher one = ONE.matcher(path);
        if (!one.matches() || !predictions.containsKey(one.group(1))) return problem(404, "Not found", "Not found.");
        Prediction p = predictions.get(one.group(1));
        if (one.group(2) != null) {
            if (!"POST".equals(request.getMethod())) return problem(405, "Method not allowed", "use POST");
            synchronized (p) {
                if (!PredictionRun.TERMINAL.contains(p.state.path("status").asText())) {
                    p.state.put("status", "canceled");
                    cancels.add(p.id);
                }
                return json(200, p.state.deepCopy());
            }
        }
        return json(200, p.read());
    }

    private MockResponse created(String modelName, JsonNode body, String prefer) {
        String id = "p" + Integer.toString(ids.incrementAndGet(), 36) + "xyzq8n3b2m";
        Plan plan = plans.poll();
        if (plan == null) plan = Plan.succeeds(0, Json.read("\"done\""));
        String base = base();
        ObjectNode state = Json.object().put("id", id).put("model", modelName)
                .put("version", body.path("version").asText("dp-4d0b2bd3c8e5bf9f9e1b"));
        state.set("input", body.get("input"));
        state.put("logs", "").putNull("output").put("data_removed", false).putNull("error").put("status", "starting")
                .put("created_at", "2026-12-04T10:00:00.000Z");
        state.putObject("urls").put("get", base + "/predictions/" + id).put("cancel", base + "/predictions/" + id
                + "/cancel").put("stream", "https://stream.example.invalid/v1/files/" + id)
                .put("web", "https://replicate.com/p/" + id);
        Prediction p = new Prediction(id, plan, state);
        predictions.put(id, p);
        if (prefer != null && prefer.startsWith("wait") && plan.reads() == 0) p.end();
        return json(201, state.deepCopy());
    }

    private static MockResponse json(int code, JsonNode body) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json")
                .body(Json.write(body)).build();
    }

    private static MockResponse problem(int code, String title, String detail) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/problem+json")
                .body(Json.write(Json.object().put("title", title).put("detail", detail).put("status", code))).build();
    }

    @Override
    public void close() {
        server.close();
    }
}
