package dev.weft.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.MultipartReader;
import okio.Buffer;

/**
 * OpenAI's media endpoints on loopback (shared with the server's tests through this module's test jar), speaking
 * their wire protocol as documented: {@code POST /v1/images/generations} (JSON in, {@code data[].b64_json} or, for
 * {@code response_format: url}, {@code data[].url} served by this fake), {@code POST /v1/images/edits} and
 * {@code POST /v1/audio/transcriptions} (multipart bodies, parsed with okhttp's {@link MultipartReader}, a parser
 * independent of the one Weft writes with), {@code POST /v1/audio/speech} (JSON in, binary audio out). A wrong or
 * missing key is answered 401 as OpenAI answers it; {@link #failNext} scripts errors ({@code {"error": {"message",
 * "type", "code"}}}) and {@link #answerNext} any other answer. Every request is kept, its multipart parts parsed.
 */
public final class FakeOpenAiMedia implements AutoCloseable {

    /** The key the fake accepts. */
    public static final String KEY = "sk-fake-media-0123456789";

    /** One multipart part: its field name, file name (null for a text field), content type and bytes. */
    public record Part(String name, String fileName, String contentType, byte[] bytes) {
        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** One request as received: method, path, headers (lower-case names), JSON body or multipart parts. */
    public record Received(String method, String path, Map<String, String> headers, JsonNode json, List<Part> parts) {
        /** The text of the first part named {@code name}, or null. */
        public String field(String name) {
            return parts.stream().filter(p -> p.name().equals(name)).findFirst().map(Part::text).orElse(null);
        }

        public List<Part> all(String name) {
            return parts.stream().filter(p -> p.name().equals(name)).toList();
        }
    }

    private final MockWebServer server = new MockWebServer();
    private final Queue<MockResponse> scripted = new ConcurrentLinkedQueue<>();
    private final Map<String, byte[]> generated = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    /** Every request received, in order. */
    public final Queue<Received> received = new ConcurrentLinkedQueue<>();

    public FakeOpenAiMedia() throws IOException {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return answer(request);
            }
        });
        server.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    /** The base URL to give the nodes: {@code http://127.0.0.1:<port>/v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getPort() + "/v1";
    }

    /**
     * The next request (any endpoint) is answered {@code status} with OpenAI's error body; a 429 or 5xx with
     * {@code Retry-After: 0}, so that a node's retry goes at once.
     */
    public void failNext(int status, String type, String code, String message) {
        ObjectNode error = Json.object();
        error.putObject("error").put("message", message).put("type", type).put("code", code);
        MockResponse.Builder response = new MockResponse.Builder().code(status)
                .addHeader("Content-Type", "application/json").body(Json.write(error));
        if (status == 429 || status >= 500) response.addHeader("Retry-After", "0");   // a retry goes at once
        scripted.add(response.build());
    }

    /** The next request is answered with {@code response}, whatever it asked. */
    public void answerNext(MockResponse response) {
        scripted.add(response);
    }

    /** The requests received on {@code path} ({@code /v1/images/edits}). */
    public List<Received> on(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    /** The side of the square images the fake "generates", in pixels. */
    public static final int IMAGE_SIZE = 192;

    /**
     * A real PNG of {@code size} pixels square, a sunset over the sea whose colours come from {@code seed}: what the
     * fake "generates" (for {@code prompt#i}, the i-th image of a prompt, at {@link #IMAGE_SIZE}).
     */
    public static byte[] png(String seed, int size) {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        int hash = seed.hashCode();
        Color sky = new Color(90 + (hash & 0x3f), 60 + ((hash >> 6) & 0x3f), 140 + ((hash >> 12) & 0x3f));
        g.setPaint(new GradientPaint(0, 0, sky, 0, size * 0.6f, new Color(250, 170, 90)));
        g.fillRect(0, 0, size, size);
        g.setColor(new Color(255, 220, 120));
        int sun = size / 3;
        g.fillOval(size / 2 - sun / 2 + (hash % (size / 4)), (int) (size * 0.6) - sun / 2, sun, sun);
        g.setPaint(new GradientPaint(0, size * 0.6f, new Color(20, 60, 110), 0, size, new Color(10, 25, 60)));
        g.fillRect(0, (int) (size * 0.6), size, size);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The audio the fake "speaks": an ID3-tagged header and the text, so a test can tell which text it was. */
    public static byte[] speech(String input, String format) {
        return ("ID3\u0003\u0000" + format + ":" + input).getBytes(StandardCharsets.UTF_8);
    }

    private MockResponse answer(RecordedRequest request) {
        String path = request.getUrl().encodedPath();
        Map<String, String> headers = new LinkedHashMap<>();
        request.getHeaders().forEach(pair -> headers.put(pair.getFirst().toLowerCase(), pair.getSecond()));
        byte[] body = request.getBody() == null ? new byte[0] : request.getBody().toByteArray();
        String type = headers.getOrDefault("content-type", "");
        JsonNode json = null;
        List<Part> parts = List.of();
        try {
            if (type.startsWith("application/json")) json = Json.MAPPER.readTree(body);
            else if (type.startsWith("multipart/form-data")) parts = parts(type, body);
        } catch (IOException e) {
            return error(400, "invalid_request_error", null, "We could not parse the body of your request: "
                    + e.getMessage());
        }
        received.add(new Received(request.getMethod(), path, headers, json, parts));
        if (request.getMethod().equals("GET") && path.startsWith("/generated/")) {
            byte[] image = generated.get(path.substring("/generated/".length()));
            return image == null ? new MockResponse.Builder().code(404).build() : new MockResponse.Builder().code(200)
                    .addHeader("Content-Type", "image/png").body(new Buffer().write(image)).build();
        }
        MockResponse script = scripted.poll();
        if (script != null) return script;
        if (!("Bearer " + KEY).equals(headers.get("authorization"))) {
            String given = headers.getOrDefault("authorization", "").replaceFirst("^Bearer ", "");
            return given.isEmpty()
                    ? error(401, "invalid_request_error", null, "You didn't provide an API key. You need to provide"
                    + " your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).")
                    : error(401, "invalid_request_error", "invalid_api_key", "Incorrect API key provided: " + given
                    + ". You can find your API key at https://platform.openai.com/account/api-keys.");
        }
        return switch (path) {
            case "/v1/images/generations" -> generations(json);
            case "/v1/images/edits" -> edits(parts);
            case "/v1/audio/transcriptions" -> transcriptions(parts);
            case "/v1/audio/speech" -> speech(json);
            default -> error(404, "invalid_request_error", "unknown_url", "Invalid URL (" + request.getMethod() + " "
                    + path + ")");
        };
    }

    private MockResponse generations(JsonNode json) {
        if (json == null || !json.path("prompt").isTextual()) {
            return error(400, "invalid_request_error", "missing_required_parameter", "Missing required parameter:"
                    + " 'prompt'.");
        }
        return images(json.path("prompt").asText(), json.path("n").asInt(1), json.path("response_format").asText(
                "b64_json"), json.path("model").asText());
    }

    private MockResponse edits(List<Part> parts) {
        Received request = new Received("POST", "", Map.of(), null, parts);
        List<Part> images = new ArrayList<>(request.all("image"));
        images.addAll(request.all("image[]"));
        if (images.isEmpty()) {
            return error(400, "invalid_request_error", "missing_required_parameter", "Missing required parameter:"
                    + " 'image'.");
        }
        if (request.field("prompt") == null) {
            return error(400, "invalid_request_error", "missing_required_parameter", "Missing required parameter:"
                    + " 'prompt'.");
        }
        String n = request.field("n");
        String format = request.field("response_format");
        return images("edit of " + images.size() + " image(s): " + request.field("prompt"),
                n == null ? 1 : Integer.parseInt(n), format == null ? "b64_json" : format, request.field("model"));
    }

    private MockResponse images(String prompt, int n, String format, String model) {
        ObjectNode answer = Json.object().put("created", 1764806400);
        ArrayNode data = answer.putArray("data");
        for (int i = 0; i < n; i++) {
            byte[] png = png(prompt + "#" + i, IMAGE_SIZE);
            ObjectNode item = data.addObject();
            if (format.equals("url")) {
                String id = "img-" + ids.incrementAndGet() + ".png";
                generated.put(id, png);
                item.put("url", "http://127.0.0.1:" + server.getPort() + "/generated/" + id);
            } else {
                item.put("b64_json", Base64.getEncoder().encodeToString(png));
            }
            if ("dall-e-3".equals(model)) item.put("revised_prompt", "A detailed picture: " + prompt);
        }
        if ("gpt-image-1".equals(model)) {
            answer.putObject("usage").put("input_tokens", 12).put("output_tokens", 4160).put("total_tokens", 4172);
        }
        return json(200, answer);
    }

    private MockResponse transcriptions(List<Part> parts) {
        Received request = new Received("POST", "", Map.of(), null, parts);
        List<Part> files = request.all("file");
        if (files.isEmpty() || files.get(0).fileName() == null) {
            return error(400, "invalid_request_error", "missing_required_parameter", "Missing required parameter:"
                    + " 'file'.");
        }
        if (request.field("model") == null) {
            return error(400, "invalid_request_error", "missing_required_parameter", "Missing required parameter:"
                    + " 'model'.");
        }
        Part file = files.get(0);
        String text = "Transcript of " + file.fileName() + " (" + file.bytes().length + " bytes)";
        String format = request.field("response_format") == null ? "json" : request.field("response_format");
        switch (format) {
            case "text" -> {
                return new MockResponse.Builder().code(200).addHeader("Content-Type", "text/plain; charset=utf-8")
                        .body(text + "\n").build();
            }
            case "json" -> {
                return json(200, Json.object().put("text", text));
            }
            case "verbose_json" -> {
                String language = request.field("language") == null ? "english" : request.field("language");
                ObjectNode answer = Json.object().put("task", "transcribe").put("language", language)
                        .put("duration", 2.5).put("text", text);
                List<String> granularities = request.all("timestamp_granularities[]").stream().map(Part::text).toList();
                if (granularities.isEmpty() || granularities.contains("segment")) {
                    ArrayNode segments = answer.putArray("segments");
                    segments.addObject().put("id", 0).put("seek", 0).put("start", 0.0).put("end", 1.2)
                            .put("text", " Transcript of").put("avg_logprob", -0.2).put("no_speech_prob", 0.01);
                    segments.addObject().put("id", 1).put("seek", 0).put("start", 1.2).put("end", 2.5)
                            .put("text", " " + file.fileName()).put("avg_logprob", -0.3).put("no_speech_prob", 0.02);
                }
                if (granularities.contains("word")) {
                    ArrayNode words = answer.putArray("words");
                    words.addObject().put("word", "Transcript").put("start", 0.0).put("end", 0.7);
                    words.addObject().put("word", "of").put("start", 0.7).put("end", 1.2);
                }
                return json(200, answer);
            }
            default -> {
                return error(400, "invalid_request_error", "invalid_value", "Invalid value for 'response_format': "
                        + format);
            }
        }
    }

    private MockResponse speech(JsonNode json) {
        if (json == null || !json.path("input").isTextual() || !json.path("voice").isTextual()) {
            return error(400, "invalid_request_error", "missing_required_parameter", "Missing required parameter:"
                    + " 'input' or 'voice'.");
        }
        String format = json.path("response_format").asText("mp3");
        String type = switch (format) {
            case "mp3" -> "audio/mpeg";
            case "opus" -> "audio/ogg";
            case "wav" -> "audio/wav";
            case "flac" -> "audio/flac";
            case "aac" -> "audio/aac";
            default -> "application/octet-stream";
        };
        return new MockResponse.Builder().code(200).addHeader("Content-Type", type)
                .body(new Buffer().write(speech(json.get("input").asText(), format))).build();
    }

    private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?");
    private static final Pattern NAME = Pattern.compile("(?:^|;)\\s*name=\"([^\"]*)\"");
    private static final Pattern FILE_NAME = Pattern.compile(";\\s*filename=\"([^\"]*)\"");

    private static List<Part> parts(String contentType, byte[] body) throws IOException {
        Matcher boundary = BOUNDARY.matcher(contentType);
        if (!boundary.find()) throw new IOException("no boundary in " + contentType);
        List<Part> parts = new ArrayList<>();
        try (MultipartReader reader = new MultipartReader(new Buffer().write(body), boundary.group(1))) {
            for (MultipartReader.Part part; (part = reader.nextPart()) != null; ) {
                String disposition = part.headers().get("Content-Disposition");
                Matcher name = NAME.matcher(disposition == null ? "" : disposition.replaceFirst("^form-data", ""));
                Matcher fileName = FILE_NAME.matcher(disposition == null ? "" : disposition);
                parts.add(new Part(name.find() ? name.group(1) : "", fileName.find() ? fileName.group(1) : null,
                        part.headers().get("Content-Type"), part.body().readByteArray()));
            }
        }
        return parts;
    }

    private static MockResponse error(int status, String type, String code, String message) {
        ObjectNode error = Json.object();
        ObjectNode inner = error.putObject("error").put("message", message).put("type", type);
        if (code == null) inner.putNull("code");
        else inner.put("code", code);
        inner.putNull("param");
        return json(status, error);
    }

    private static MockResponse json(int status, JsonNode body) {
        return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json")
                .body(Json.write(body)).build();
    }

    @Override
    public void close() {
        server.close();
    }
}
