package dev.weft.builtin;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The {@code transcribe} node: speech to text through an OpenAI-compatible {@code POST <base_url>/audio/transcriptions}
 * (OpenAI, Groq and local whisper servers speak it): the audio file goes up as multipart with {@code model},
 * {@code language}, {@code prompt} and {@code temperature}; asked for timestamps, it asks for {@code verbose_json}
 * with {@code timestamp_granularities[]}. Emits {@code text}, {@code language}, {@code duration} (seconds),
 * {@code segments} and {@code words} (empty lists when the answer has none). An audio file of 0 bytes, or over
 * {@code max_bytes} (25 MiB by default, OpenAI's limit), is refused before anything is sent, and a stored file's size
 * is checked before it is read.
 */
public final class TranscribeNode implements NodeType {

    public static final String TYPE = "transcribe";
    static final String MODEL_DEFAULT = "whisper-1";
    /** OpenAI's limit for one audio file. */
    static final long MAX_BYTES_DEFAULT = 25L * 1024 * 1024;
    private static final long ANSWER_MAX_BYTES = 16L * 1024 * 1024;

    private final MediaClient media;

    public TranscribeNode(BuiltinNodes.Services services) {
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
        MediaSettings.check(settings, problems, true, media.fileMaxBytes(), TranscribeNode::rules);
    }

    /** Timestamps come only in verbose_json. */
    private static void rules(ObjectNode settings, Problems problems) {
        String timestamps = settings.path("timestamps").asText("none");
        JsonNode format = settings.get("response_format");
        if (!"none".equals(timestamps) && format != null && format.isTextual()
                && !"verbose_json".equals(format.asText())) {
            problems.add("response_format", "must be verbose_json when timestamps is " + timestamps + " (got "
                    + format.asText() + ")");
        }
    }

    /** Runs one attempt on this thread, for callers without the engine. */
    public NodeOutput run(NodeCall call) throws Exception {
        return Async.await(runAsync(call));
    }

    /** Starts one attempt; the stage completes with the transcript, or fails with the step's error. */
    public CompletionStage<NodeOutput> runAsync(NodeCall call) {
        MediaSettings settings;
        URI endpoint;
        String secret;
        try {
            settings = MediaSettings.read(call.settings(), call.timeout(), MODEL_DEFAULT,
                    media.fileMaxBytes(), MAX_BYTES_DEFAULT, TranscribeNode::rules);
            endpoint = settings.endpoint("/audio/transcriptions");
            secret = media.secret(call.taskId(), settings.credential(), endpoint);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        ObjectNode s = call.settings();
        String timestamps = s.path("timestamps").asText("none");
        String format = s.hasNonNull("response_format") ? s.get("response_format").asText()
                : "none".equals(timestamps) ? "json" : "verbose_json";
        String where = MediaClient.where(endpoint);
        MediaClient.Attempt attempt = media.attempt(settings.timeout(), where);
        return attempt.run(() -> attempt.load(s.get("audio").asText(), "audio", settings.maxBytes())
                .thenCompose(audio -> {
                    MultipartBody body = new MultipartBody()
                            .file("file", uploadName(audio), audio.contentType(), audio.bytes())
                            .field("model", settings.model())
                            .field("response_format", format);
                    for (String name : new String[] {"language", "prompt"}) {
                        if (s.hasNonNull(name)) body.field(name, s.get(name).asText());
                    }
                    if (s.hasNonNull("temperature")) body.field("temperature", s.get("temperature").asText());
                    if (!"none".equals(timestamps)) {
                        body.field("timestamp_granularities[]", "segment");
                        if ("word".equals(timestamps)) body.field("timestamp_granularities[]", "word");
                    }
                    return attempt.post(new MediaClient.Post(endpoint, body.contentType(), body.bytes(), secret,
                            ANSWER_MAX_BYTES, settings.maxRetries()), where);
                })
                .thenApply(response -> output(response, format, s, where)));
    }

    /** Whisper servers tell the format by the file name's extension: a name without one gets its type's. */
    private static String uploadName(FileSink.Loaded audio) {
        String name = audio.name() == null || audio.name().isBlank() ? "audio" : audio.name();
        return name.contains(".") ? name : MediaTypes.fileName(name, audio.contentType());
    }

    private static NodeOutput output(HttpResponse<byte[]> response, String format, ObjectNode s, String where) {
        ObjectNode out = Json.object();
        if (format.equals("text") || format.equals("srt") || format.equals("vtt")) {
            out.put("text", new String(response.body(), StandardCharsets.UTF_8).strip());
            out.set("language", s.hasNonNull("language") ? s.get("language") : Json.MAPPER.nullNode());
            out.putNull("duration");
            out.putArray("segments");
            out.putArray("words");
            return NodeOutput.success(out);
        }
        JsonNode answer = MediaClient.json(response, where);
        if (!answer.path("text").isTextual()) {
            throw new NodeException(MediaClient.ANSWER_INVALID, where + " answered without a text field", true);
        }
        out.put("text", answer.get("text").asText());
        JsonNode language = answer.path("language");
        if (language.isTextual()) out.put("language", language.asText());
        else out.set("language", s.hasNonNull("language") ? s.get("language") : Json.MAPPER.nullNode());
        JsonNode duration = answer.path("duration");
        if (duration.isNumber()) out.put("duration", duration.asDouble());
        else if (duration.isTextual() && duration.asText().matches("\\d+(\\.\\d+)?")) {
            out.put("duration", Double.parseDouble(duration.asText()));
        } else out.putNull("duration");
        out.set("segments", answer.path("segments").isArray() ? answer.get("segments") : Json.MAPPER.createArrayNode());
        out.set("words", answer.path("words").isArray() ? answer.get("words") : Json.MAPPER.createArrayNode());
        return NodeOutput.success(out);
    }
}
