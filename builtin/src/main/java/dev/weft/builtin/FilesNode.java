package dev.weft.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.node.NodeCall;
import dev.weft.node.NodeOutput;
import dev.weft.node.NodeType;
import dev.weft.node.Problems;
import dev.weft.node.Run;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * The {@code files} node: fetches a URL into Weft's file store and emits the stored file ({@code file_id},
 * {@code url}, {@code name}, {@code content_type}, {@code size}, {@code sha256}), so later nodes and the caller get
 * a stable URL served by Weft. It fetches as the {@code http} node does: every redirect hop passes the
 * {@link AddressGuard}, and the body is cut off at the size limit.
 */
public final class FilesNode implements NodeType {

    public static final String TYPE = "files";
    /** The largest file a step may fetch when the operator sets no other limit. */
    public static final long MAX_BYTES_DEFAULT = 25L * 1024 * 1024;
    static final String FALLBACK_NAME = "download";
    static final String FALLBACK_TYPE = "application/octet-stream";
    private static final List<String> OUTPUTS = List.of("file_id", "url", "name", "content_type", "size", "sha256");

    private final HttpNode.Options options;
    private final long maxBytes;
    private final AddressGuard guard;
    private final FileSink sink;
    private final HttpClient client = Fetch.client(HttpNode.CONNECT_TIMEOUT);

    /** {@code maxBytes}: the operator's limit, the most any step's {@code max_bytes} may ask for. */
    public FilesNode(HttpNode.Options options, long maxBytes, FileSink sink) {
        this(options, maxBytes, options.allowPrivate() ? AddressGuard.allowingPrivate() : AddressGuard.publicOnly(), sink);
    }

    FilesNode(HttpNode.Options options, long maxBytes, AddressGuard guard, FileSink sink) {
        if (maxBytes < 1) throw new IllegalArgumentException("maxBytes must be positive");
        this.options = options;
        this.maxBytes = maxBytes;
        this.guard = guard;
        this.sink = sink;
    }

    @Override
    public String id() {
        return TYPE;
    }

    @Override
    public Run run() {
        return Run.blocking(this::run);
    }

    @Override
    public void check(ObjectNode settings, Problems problems) {
        check(settings, problems, true);
    }

    private void check(ObjectNode settings, Problems problems, boolean unrendered) {
        JsonNode url = settings.get("url");
        if (url != null && url.isTextual() && !Settings.deferred(url, unrendered)) {
            String wrong = HttpSettings.urlProblem(url.asText());
            if (wrong != null) problems.add("url", wrong);
        }
        JsonNode max = settings.get("max_bytes");
        if (!Settings.absent(max) && !Settings.deferred(max, unrendered) && max.isIntegralNumber()
                && max.asLong() > maxBytes) {
            problems.add("max_bytes", "must be at most " + maxBytes + ", this Weft's file size limit (got " + max + ")");
        }
    }

    public NodeOutput run(NodeCall call) throws InterruptedException {
        Problems problems = new Problems();
        check(call.settings(), problems, false);
        Settings.throwIfAny(problems);
        ObjectNode settings = call.settings();
        long limit = settings.path("max_bytes").asLong(maxBytes);
        Duration timeout = settings.hasNonNull("timeout_ms") ? Duration.ofMillis(settings.get("timeout_ms").asLong())
                : call.timeout();
        Fetch.Answer answer = Fetch.download(client, guard, settings.get("url").asText(), timeout, limit,
                options.maxRedirects(), "file", "max_bytes");
        return store(call, answer.hop(), answer.response(), settings.path("name").asText(null));
    }

    private NodeOutput store(NodeCall call, Hop hop, HttpResponse<byte[]> response, String name) {
        String contentType = response.headers().firstValue("content-type").map(String::trim)
                .filter(type -> !type.isEmpty()).orElse(FALLBACK_TYPE);
        String given = name == null ? "" : FileNames.clean(name);
        FileSink.Saved saved = sink.save(response.body(), !given.isEmpty() ? given
                : FileNames.of(response.headers().firstValue("content-disposition"), hop.uri()), contentType,
                call.taskId(), call.nodeId());
        ObjectNode data = Json.object();
        data.put("file_id", saved.id());
        data.put("url", saved.url());
        data.put("name", saved.name());
        data.put("content_type", saved.contentType());
        data.put("size", saved.size());
        data.put("sha256", saved.sha256());
        return NodeOutput.success(data);
    }
}
