package dev.weft.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.node.NodeCall;
import dev.weft.node.NodeException;
import dev.weft.node.NodeOutput;
import dev.weft.node.NodeType;
import dev.weft.node.Problems;
import dev.weft.node.Run;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The {@code image} node: generates images ({@code POST <base_url>/images/generations}, JSON) or edits one or
 * several ({@code POST <base_url>/images/edits}, multipart with {@code image} or {@code image[]} and an optional
 * {@code mask}) through an OpenAI-compatible images API, and stores every image of the answer as a Weft file,
 * whether the provider sent it inline ({@code b64_json}) or as a URL to download (DALL·E-style). Emits
 * {@code images} ({@code [{url, file_id, content_type, size}]}), {@code image} (the first one's URL) and
 * {@code revised_prompt}. An answer that is not an image (checked by its first bytes) fails with
 * {@value #NOT_AN_IMAGE}; nothing is stored then.
 */
public final class ImageNode implements NodeType {

    public static final String TYPE = "image";
    /** An answer (or an image to edit) whose bytes are no PNG, JPEG, GIF or WebP image. */
    public static final String NOT_AN_IMAGE = "not_an_image";
    static final String MODEL_DEFAULT = "gpt-image-1";
    /** An image, base64-encoded, is a third larger; the rest of an answer is small. */
    private static final long ANSWER_OVERHEAD = 64 * 1024;

    private final MediaClient media;

    public ImageNode(BuiltinNodes.Services services) {
        this.media = new MediaClient(services);
    }

    @Override
    public String id() {
        return TYPE;
    }

    @Override
    public Run run() {
        return Run.async(this::runAsync);
    }

    @Override
    public void check(ObjectNode settings, Problems problems) {
        MediaSettings.check(settings, problems, true, media.fileMaxBytes(), ImageNode::rules);
    }

    /** An edit needs an image; a mask or an image belongs to an edit only. */
    private static void rules(ObjectNode settings, Problems problems) {
        boolean edit = "edit".equals(settings.path("operation").asText("generate"));
        if (edit && Settings.absent(settings.get("image"))) {
            problems.add("image", "is required when operation is edit");
        }
        if (!edit && !Settings.absent(settings.get("image"))) {
            problems.add("image", "is used only when operation is edit");
        }
        if (!edit && !Settings.absent(settings.get("mask"))) {
            problems.add("mask", "is used only when operation is edit");
        }
    }

    /** Runs one attempt on this thread, for callers without the engine. */
    public NodeOutput run(NodeCall call) throws Exception {
        return Async.await(runAsync(call));
    }

    /** Starts one attempt; the stage completes with the stored images, or fails with the step's error. */
    public CompletionStage<NodeOutput> runAsync(NodeCall call) {
        MediaSettings settings;
        boolean edit;
        URI endpoint;
        String secret;
        try {
            settings = MediaSettings.read(call.settings(), call.timeout(), MODEL_DEFAULT,
                    media.fileMaxBytes(), media.fileMaxBytes(), ImageNode::rules);
            edit = "edit".equals(call.settings().path("operation").asText("generate"));
            endpoint = settings.endpoint(edit ? "/images/edits" : "/images/generations");
            secret = media.secret(call.taskId(), settings.credential(), endpoint);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        String where = MediaClient.where(endpoint);
        int n = call.settings().path("n").asInt(1);
        long maxAnswer = Math.max(n * (media.fileMaxBytes() / 3 * 4 + 4) + ANSWER_OVERHEAD, ANSWER_OVERHEAD);
        MediaClient.Attempt attempt = media.attempt(settings.timeout(), where);
        ObjectNode s = call.settings();
        return attempt.run(() -> (edit ? editBody(attempt, s, settings) : generateBody(s, settings))
                .thenCompose(body -> attempt.post(new MediaClient.Post(endpoint, body.contentType(), body.bytes(),
                        secret, maxAnswer, settings.maxRetries()), where))
                .thenCompose(response -> store(attempt, call, response, where)));
    }

    private record Body(String contentType, byte[] bytes) {}

    /** The optional settings passed on as they are, when set. */
    private static final List<String> PASSED_TEXT = List.of("size", "quality", "response_format", "background",
            "output_format", "style", "user");

    private static CompletableFuture<Body> generateBody(ObjectNode s, MediaSettings settings) {
        ObjectNode body = Json.object().put("model", settings.model()).put("prompt", s.get("prompt").asText());
        if (s.hasNonNull("n")) body.put("n", s.get("n").asInt());
        for (String name : PASSED_TEXT) {
            if (s.hasNonNull(name)) body.put(name, s.get(name).asText());
        }
        return CompletableFuture.completedFuture(new Body("application/json", Json.bytes(body)));
    }

    private CompletableFuture<Body> editBody(MediaClient.Attempt attempt, ObjectNode s, MediaSettings settings) {
        JsonNode given = s.get("image");
        List<String> refs = new ArrayList<>();
        if (given.isArray()) given.forEach(ref -> refs.add(ref.asText()));
        else refs.add(given.asText());
        List<CompletableFuture<FileSink.Loaded>> images = new ArrayList<>();
        for (int i = 0; i < refs.size(); i++) {
            String setting = given.isArray() ? "image[" + i + "]" : "image";
            images.add(attempt.load(refs.get(i), setting, settings.maxBytes()).thenApply(f -> checked(f, setting)));
        }
        CompletableFuture<FileSink.Loaded> mask = s.hasNonNull("mask")
                ? attempt.load(s.get("mask").asText(), "mask", settings.maxBytes()).thenApply(f -> checked(f, "mask"))
                : CompletableFuture.completedFuture(null);
        List<CompletableFuture<?>> all = new ArrayList<>(images);
        all.add(mask);
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(loaded -> {
            MultipartBody body = new MultipartBody().field("model", settings.model())
                    .field("prompt", s.get("prompt").asText());
            String field = images.size() == 1 ? "image" : "image[]";
            for (int i = 0; i < images.size(); i++) {
                FileSink.Loaded image = images.get(i).join();
                body.file(field, uploadName(image, "image-" + (i + 1)), image.contentType(), image.bytes());
            }
            FileSink.Loaded m = mask.join();
            if (m != null) body.file("mask", uploadName(m, "mask"), m.contentType(), m.bytes());
            if (s.hasNonNull("n")) body.field("n", s.get("n").asText());
            for (String name : PASSED_TEXT) {
                if (!name.equals("style") && s.hasNonNull(name)) body.field(name, s.get(name).asText());
            }
            return new Body(body.contentType(), body.bytes());
        });
    }

    /** The input with the type its bytes show: a file uploaded as octet-stream goes to the provider as image/png. */
    private static FileSink.Loaded checked(FileSink.Loaded file, String setting) {
        String type = MediaTypes.image(file.bytes()).orElseThrow(() -> new NodeException(NOT_AN_IMAGE, "settings."
                + setting + ": " + (file.id() != null ? "file " + file.id() : "'" + file.name() + "'")
                + " is not a PNG, JPEG, GIF or WebP image", false));
        return new FileSink.Loaded(file.id(), file.name(), type, file.bytes());
    }

    private static String uploadName(FileSink.Loaded file, String stem) {
        String name = file.name() == null || file.name().isBlank() ? stem : file.name();
        return name.contains(".") ? name : MediaTypes.fileName(name, file.contentType());
    }

    /** Each image of the answer, decoded or downloaded, checked, then stored; all checked before any is stored. */
    private CompletableFuture<NodeOutput> store(MediaClient.Attempt attempt, NodeCall call,
                                                HttpResponse<byte[]> response, String where) {
        JsonNode answer = MediaClient.json(response, where);
        JsonNode data = answer.path("data");
        if (!data.isArray() || data.isEmpty()) {
            throw new NodeException(MediaClient.ANSWER_INVALID, where + " answered without images (no data[])", true);
        }
        List<CompletableFuture<byte[]>> images = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) images.add(bytes(attempt, data.get(i), i, where));
        return CompletableFuture.allOf(images.toArray(CompletableFuture[]::new)).thenCompose(all -> {
            List<CompletableFuture<FileSink.Saved>> saved = new ArrayList<>();
            for (int i = 0; i < images.size(); i++) {
                byte[] bytes = images.get(i).join();
                String type = MediaTypes.image(bytes).orElseThrow();
                saved.add(attempt.save(bytes, MediaTypes.fileName("image-" + (i + 1), type), type, call.taskId(),
                        call.nodeId()));
            }
            return CompletableFuture.allOf(saved.toArray(CompletableFuture[]::new)).thenApply(done -> {
                ObjectNode out = Json.object();
                ArrayNode list = out.putArray("images");
                for (CompletableFuture<FileSink.Saved> s : saved) {
                    FileSink.Saved file = s.join();
                    list.addObject().put("url", file.url()).put("file_id", file.id())
                            .put("content_type", file.contentType()).put("size", file.size());
                }
                out.put("image", list.get(0).path("url").asText());
                JsonNode revised = data.get(0).get("revised_prompt");
                if (revised != null && revised.isTextual()) out.put("revised_prompt", revised.asText());
                else out.putNull("revised_prompt");
                return NodeOutput.success(out);
            });
        });
    }

    /** One image's bytes: decoded from {@code b64_json}, or downloaded from {@code url}; refused if no image. */
    private CompletableFuture<byte[]> bytes(MediaClient.Attempt attempt, JsonNode item, int i, String where) {
        String what = "data[" + i + "]";
        CompletableFuture<byte[]> bytes;
        if (item.path("b64_json").isTextual()) {
            try {
                bytes = CompletableFuture.completedFuture(Base64.getMimeDecoder().decode(item.get("b64_json").asText()));
            } catch (IllegalArgumentException e) {
                return CompletableFuture.failedFuture(new NodeException(MediaClient.ANSWER_INVALID, where + " answered"
                        + " " + what + ".b64_json that is not base64", true));
            }
        } else if (item.path("url").isTextual()) {
            bytes = attempt.fetch(item.get("url").asText(), "the image of " + what, media.fileMaxBytes())
                    .thenApply(HttpResponse::body);
        } else {
            return CompletableFuture.failedFuture(new NodeException(MediaClient.ANSWER_INVALID, where + " answered "
                    + what + " without b64_json or url", true));
        }
        return bytes.thenApply(b -> {
            if (MediaTypes.image(b).isEmpty()) {
                throw new NodeException(NOT_AN_IMAGE, where + " answered " + what + " with " + b.length + " bytes that"
                        + " are not a PNG, JPEG, GIF or WebP image (they begin: " + begin(b) + ")", false);
            }
            return b;
        });
    }

    /** The first bytes as text, for a message: an error page shows what it says. */
    private static String begin(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(bytes.length, 40); i++) {
            int c = bytes[i] & 0xff;
            text.append(c >= 0x20 && c < 0x7f ? (char) c : '.');
        }
        return "\"" + text + "\"";
    }
}
