package dev.weft.builtin;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The {@code speech} node: text to speech through an OpenAI-compatible {@code POST <base_url>/audio/speech}
 * ({@code model}, {@code input}, {@code voice}, {@code response_format}, {@code speed}, {@code instructions}); the
 * binary answer is stored as a Weft file with the format's content type ({@code audio/mpeg} for mp3, and so on).
 * Emits {@code audio} (the file's URL) and {@code file} ({@code {url, file_id, content_type, size}}). An answer
 * that is JSON or text rather than audio fails with {@value #NOT_AUDIO}.
 */
public final class SpeechNode implements NodeType {

    public static final String TYPE = "speech";
    /** A 2xx answer that is not audio (JSON, text, an empty body). */
    public static final String NOT_AUDIO = "not_audio";
    static final String MODEL_DEFAULT = "tts-1";
    static final String VOICE_DEFAULT = "alloy";
    static final String FORMAT_DEFAULT = "mp3";

    private final MediaClient media;

    public SpeechNode(BuiltinNodes.Services services) {
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
        MediaSettings.check(settings, problems, true, media.fileMaxBytes(), (s, p) -> {});
    }

    /** Runs one attempt on this thread, for callers without the engine. */
    public NodeOutput run(NodeCall call) throws Exception {
        return Async.await(runAsync(call));
    }

    /** Starts one attempt; the stage completes with the stored audio, or fails with the step's error. */
    public CompletionStage<NodeOutput> runAsync(NodeCall call) {
        MediaSettings settings;
        URI endpoint;
        String secret;
        try {
            settings = MediaSettings.read(call.settings(), call.timeout(), MODEL_DEFAULT,
                    media.fileMaxBytes(), media.fileMaxBytes(), (s, p) -> {});
            endpoint = settings.endpoint("/audio/speech");
            secret = media.secret(call.taskId(), settings.credential(), endpoint);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        ObjectNode s = call.settings();
        String format = s.path("format").asText(FORMAT_DEFAULT);
        ObjectNode body = Json.object().put("model", settings.model()).put("input", s.get("input").asText())
                .put("voice", s.path("voice").asText(VOICE_DEFAULT)).put("response_format", format);
        if (s.hasNonNull("speed")) body.put("speed", s.get("speed").asDouble());
        if (s.hasNonNull("instructions")) body.put("instructions", s.get("instructions").asText());
        String where = MediaClient.where(endpoint);
        MediaClient.Attempt attempt = media.attempt(settings.timeout(), where);
        return attempt.run(() -> attempt.post(new MediaClient.Post(endpoint, "application/json", Json.bytes(body),
                        secret, media.fileMaxBytes(), settings.maxRetries()), where)
                .thenCompose(response -> {
                    String type = MediaTypes.AUDIO.get(format);
                    checkAudio(response, where);
                    return attempt.save(response.body(), MediaTypes.fileName("speech", type), type, call.taskId(),
                            call.nodeId());
                })
                .thenApply(file -> {
                    ObjectNode out = Json.object().put("audio", file.url());
                    out.putObject("file").put("url", file.url()).put("file_id", file.id())
                            .put("content_type", file.contentType()).put("size", file.size());
                    return NodeOutput.success(out);
                }));
    }

    /** A speech answer is binary audio; a JSON or text body with a 2xx status is a provider's mistake. */
    private static void checkAudio(HttpResponse<byte[]> response, String where) {
        String type = MediaTypes.bare(response.headers().firstValue("content-type").orElse(""));
        if (response.body().length == 0) {
            throw new NodeException(NOT_AUDIO, where + " answered " + response.statusCode() + " with no audio (an"
                    + " empty body)", true);
        }
        if (type.equals("application/json") || type.startsWith("text/")) {
            String text = ResponseMode.text(response.body(), response.headers().firstValue("content-type"));
            throw new NodeException(NOT_AUDIO, where + " answered " + response.statusCode() + " with " + type
                    + " instead of audio: " + (text.length() > 200 ? text.substring(0, 200) + "..." : text), false);
        }
    }
}
