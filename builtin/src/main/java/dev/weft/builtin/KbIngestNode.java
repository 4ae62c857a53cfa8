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
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code kb_ingest} node: adds one document to a knowledge base — {@code text} given in the settings, a
 * {@code url} fetched as the {@code http} node fetches (every redirect hop through the {@link AddressGuard}, the body
 * cut off at the size limit), or a Weft {@code file_id} — and by default waits until it is ready, failing the step
 * with the reason when its ingest fails. Emits {@code document_id}, {@code knowledge_base_id}, {@code status},
 * {@code reason} and {@code chunks} (done, total).
 */
public final class KbIngestNode implements NodeType {

    public static final String TYPE = "kb_ingest";
    static final Duration WAIT_DEFAULT = Duration.ofMinutes(5);

    private final Knowledge knowledge;
    private final HttpNode.Options options;
    private final long maxBytes;
    private final AddressGuard guard;
    private final HttpClient client = Fetch.client(HttpNode.CONNECT_TIMEOUT);

    /** {@code maxBytes}: the largest document a step may add (fetched or from the file store). */
    public KbIngestNode(Knowledge knowledge, HttpNode.Options options, long maxBytes) {
        this(knowledge, options, maxBytes, options.allowPrivate() ? AddressGuard.allowingPrivate()
                : AddressGuard.publicOnly());
    }

    KbIngestNode(Knowledge knowledge, HttpNode.Options options, long maxBytes, AddressGuard guard) {
        this.knowledge = knowledge;
        this.options = options;
        this.maxBytes = maxBytes;
        this.guard = guard;
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

    private static void check(ObjectNode settings, Problems problems, boolean unrendered) {
        int sources = 0;
        for (String key : new String[] {"text", "url", "file_id"}) if (!Settings.absent(settings.get(key))) sources++;
        if (sources != 1) problems.add("text", "give exactly one of text, url or file_id (got " + sources + ")");
        JsonNode url = settings.get("url");
        if (url != null && url.isTextual() && !Settings.deferred(url, unrendered)) {
            String wrong = HttpSettings.urlProblem(url.asText());
            if (wrong != null) problems.add("url", wrong);
        }
    }

    public NodeOutput run(NodeCall call) throws InterruptedException {
        ObjectNode settings = call.settings();
        Problems problems = new Problems();
        check(settings, problems, false);
        Settings.throwIfAny(problems);
        Map<String, String> metadata = new LinkedHashMap<>();
        settings.path("metadata").fields().forEachRemaining(e -> metadata.put(e.getKey(), e.getValue().asText()));
        String name = settings.path("name").asText(null);
        Knowledge.Document doc;
        if (settings.hasNonNull("text")) {
            doc = new Knowledge.Document(name != null ? name : "text.txt", null,
                    settings.get("text").asText().getBytes(StandardCharsets.UTF_8), metadata);
        } else if (settings.hasNonNull("url")) {
            doc = fetch(settings.get("url").asText(), name, metadata, call.timeout());
        } else {
            Knowledge.Document file = knowledge.forTask(call.taskId()).file(settings.get("file_id").asText(), maxBytes);
            doc = new Knowledge.Document(name != null ? name : file.name(), file.mediaType(), file.bytes(), metadata);
        }
        boolean wait = settings.path("wait").asBoolean(true);
        Duration waitFor = !wait ? Duration.ZERO : settings.hasNonNull("wait_timeout_ms")
                ? Duration.ofMillis(settings.get("wait_timeout_ms").asLong()) : WAIT_DEFAULT;
        Knowledge.Ingested ingested = knowledge.forTask(call.taskId()).ingest(settings.get("knowledge_base").asText(), doc, waitFor);
        if (wait && ingested.status().equals("failed")) {
            throw new NodeException("kb_ingest_failed", "document " + ingested.documentId() + " ('" + doc.name()
                    + "') failed: " + ingested.reason(), false);
        }
        if (wait && !ingested.status().equals("ready")) {
            throw new NodeException("kb_ingest_timeout", "document " + ingested.documentId() + " ('" + doc.name()
                    + "') is still " + ingested.status() + " after " + waitFor.toMillis()
                    + " ms (wait_timeout_ms); its ingest goes on", false);
        }
        ObjectNode data = Json.object();
        data.put("document_id", ingested.documentId());
        data.put("knowledge_base_id", ingested.kbId());
        data.put("status", ingested.status());
        if (ingested.reason() != null) data.put("reason", ingested.reason());
        else data.putNull("reason");
        ObjectNode chunks = data.putObject("chunks");
        chunks.put("done", ingested.chunksDone());
        if (ingested.chunksTotal() != null) chunks.put("total", ingested.chunksTotal());
        else chunks.putNull("total");
        return NodeOutput.success(data);
    }

    private Knowledge.Document fetch(String url, String name, Map<String, String> metadata, Duration timeout)
            throws InterruptedException {
        Fetch.Answer answer = Fetch.download(client, guard, url, timeout, maxBytes, options.maxRedirects(),
                "document", null);
        HttpResponse<byte[]> response = answer.response();
        String type = response.headers().firstValue("content-type").map(t -> t.split(";")[0].trim())
                .filter(t -> !t.isEmpty() && !t.equals(FilesNode.FALLBACK_TYPE)).orElse(null);
        String given = name == null ? "" : FileNames.clean(name);
        String docName = !given.isEmpty() ? given
                : FileNames.of(response.headers().firstValue("content-disposition"), answer.hop().uri());
        metadata.putIfAbsent("url", url);
        return new Knowledge.Document(docName, type, response.body(), metadata);
    }
}
