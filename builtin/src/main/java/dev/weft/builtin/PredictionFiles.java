package dev.weft.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.weft.json.Json;
import dev.weft.node.NodeException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The files of a prediction, on the way in and out (both block: run them on the node pool). In: a value of the
 * model's input that is one of this Weft's files becomes a data URL, which the prediction API reads; an outside URL
 * passes unchanged. Out: every URL in the output (a string, or inside lists and objects) is downloaded through the
 * {@link AddressGuard} and stored with the {@link FileSink}, and the output keeps its shape with Weft file URLs.
 */
final class PredictionFiles {

    /** An output that lists more files than this fails: a model answering a thousand URLs is not a media model. */
    static final int OUTPUT_FILES_MAX = 100;
    /** The longest string looked at as a possible file reference: a file id or URL is short. */
    private static final int REF_MAX_CHARS = 2048;

    private final FileSink files;
    private final long fileMaxBytes;
    private final HttpClient client;
    private final AddressGuard guard;
    private final int maxRedirects;

    PredictionFiles(FileSink files, long fileMaxBytes, HttpClient client, AddressGuard guard, int maxRedirects) {
        this.files = files;
        this.fileMaxBytes = fileMaxBytes;
        this.client = client;
        this.guard = guard;
        this.maxRedirects = maxRedirects;
    }

    /** A copy of {@code input} with every Weft file inline as a data URL of at most {@code inlineMax} bytes. */
    ObjectNode inline(ObjectNode input, long inlineMax) {
        return (ObjectNode) inline(input.deepCopy(), inlineMax, "input");
    }

    private JsonNode inline(JsonNode value, long inlineMax, String path) {
        if (value.isTextual()) {
            String text = value.asText();
            if (text.length() > REF_MAX_CHARS || text.startsWith("data:")) return value;
            Optional<FileSink.Loaded> file;
            try {
                file = files.load(text, inlineMax);
            } catch (NodeException e) {
                if (!"file_too_large".equals(e.type())) throw new NodeException(e.type(), "settings." + path + ": "
                        + e.getMessage(), e.retryable());
                throw new NodeException(e.type(), "settings." + path + ": " + e.getMessage() + "; a Weft file goes to"
                        + " the model inline, up to inline_max_bytes (" + inlineMax + "): pass a public URL for a"
                        + " larger one", false);
            }
            return file.<JsonNode>map(f -> TextNode.valueOf(dataUrl(f.contentType(), f.bytes()))).orElse(value);
        }
        if (value.isObject()) {
            ObjectNode object = (ObjectNode) value;
            object.fields().forEachRemaining(field -> field.setValue(inline(field.getValue(), inlineMax,
                    path + "." + field.getKey())));
        } else if (value.isArray()) {
            ArrayNode array = (ArrayNode) value;
            for (int i = 0; i < array.size(); i++) array.set(i, inline(array.get(i), inlineMax, path + "[" + i + "]"));
        }
        return value;
    }

    static String dataUrl(String contentType, byte[] bytes) {
        String type = contentType == null || contentType.isBlank() ? FilesNode.FALLBACK_TYPE : contentType.trim();
        int semicolon = type.indexOf(';');
        if (semicolon >= 0) type = type.substring(0, semicolon).trim();   // data URLs carry no parameters here
        return "data:" + type + ";base64," + Base64.getEncoder().encodeToString(bytes);
    }

    /** The output with its files stored, and the list of them. */
    record Stored(JsonNode output, ArrayNode files) {}

    /**
     * Stores every file {@code output} names (http(s) or data URLs), each once, as files of step {@code nodeId};
     * {@code headers} gives the headers of each download (the API token for the API's own files, none elsewhere).
     */
    Stored store(JsonNode output, long taskId, String nodeId, Duration timeout,
                 Function<URI, Map<String, String>> headers) throws InterruptedException {
        Map<String, FileSink.Saved> saved = new LinkedHashMap<>();
        collect(output, saved);
        if (saved.size() > OUTPUT_FILES_MAX) {
            throw new NodeException(ModelNode.OUTPUT, "the output names " + saved.size() + " files; at most "
                    + OUTPUT_FILES_MAX + " are stored", false);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Map.Entry<String, FileSink.Saved> entry : saved.entrySet()) {
            Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
            entry.setValue(save(entry.getKey(), taskId, nodeId, left, headers));
        }
        ArrayNode list = Json.MAPPER.createArrayNode();
        saved.values().forEach(file -> list.addObject().put("url", file.url()).put("file_id", file.id())
                .put("name", file.name()).put("content_type", file.contentType()).put("size", file.size()));
        return new Stored(replace(output.deepCopy(), saved), list);
    }

    private static void collect(JsonNode value, Map<String, FileSink.Saved> urls) {
        if (value.isTextual() && isFile(value.asText())) urls.putIfAbsent(value.asText(), null);
        else if (value.isContainerNode()) value.forEach(item -> collect(item, urls));
    }

    private static JsonNode replace(JsonNode value, Map<String, FileSink.Saved> saved) {
        if (value.isTextual()) {
            FileSink.Saved file = saved.get(value.asText());
            return file == null ? value : TextNode.valueOf(file.url());
        }
        if (value.isObject()) {
            value.fields().forEachRemaining(field -> field.setValue(replace(field.getValue(), saved)));
        } else if (value.isArray()) {
            ArrayNode array = (ArrayNode) value;
            for (int i = 0; i < array.size(); i++) array.set(i, replace(array.get(i), saved));
        }
        return value;
    }

    /** An http(s) URL with a host, or a base64 data URL: what a model's file output looks like. */
    static boolean isFile(String text) {
        String lower = text.length() > 8 ? text.substring(0, 8).toLowerCase(Locale.ROOT) : "";
        if (lower.startsWith("data:")) return text.indexOf(";base64,") > 0;
        if (!lower.startsWith("http://") && !lower.startsWith("https://")) return false;
        if (text.length() > REF_MAX_CHARS || text.chars().anyMatch(Character::isWhitespace)) return false;
        try {
            return URI.create(text).getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private FileSink.Saved save(String url, long taskId, String nodeId, Duration timeout,
                                Function<URI, Map<String, String>> headers) throws InterruptedException {
        if (url.startsWith("data:") || url.startsWith("DATA:")) {
            int comma = url.indexOf(";base64,");
            String type = url.substring(5, comma).isBlank() ? FilesNode.FALLBACK_TYPE : url.substring(5, comma);
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(url.substring(comma + 8).getBytes(StandardCharsets.US_ASCII));
            } catch (IllegalArgumentException e) {
                throw new NodeException(ModelNode.OUTPUT, "the output holds a data URL that is not base64", false);
            }
            if (bytes.length > fileMaxBytes) {
                throw new NodeException("file_too_large", "the output holds a data URL of " + bytes.length
                        + " bytes, over this Weft's file size limit of " + fileMaxBytes, false);
            }
            return files.save(bytes, "output" + extension(type), type, taskId, nodeId);
        }
        URI uri = Hop.withoutFragment(URI.create(url));
        Fetch.Answer answer = Fetch.download(client, guard, new Hop("GET", uri, headers.apply(uri), null), timeout,
                fileMaxBytes, maxRedirects, "file", null);
        String type = answer.response().headers().firstValue("content-type").map(String::trim)
                .filter(t -> !t.isEmpty()).orElse(FilesNode.FALLBACK_TYPE);
        return files.save(answer.response().body(),
                FileNames.of(answer.response().headers().firstValue("content-disposition"), answer.hop().uri()), type,
                taskId, nodeId);
    }

    /** A file name's extension for the common media types a data URL carries; none for others. */
    private static String extension(String contentType) {
        return switch (contentType.toLowerCase(Locale.ROOT)) {
            case "image/png" -> ".png";
            case "image/jpeg" -> ".jpg";
            case "image/webp" -> ".webp";
            case "image/gif" -> ".gif";
            case "audio/wav", "audio/x-wav" -> ".wav";
            case "audio/mpeg" -> ".mp3";
            case "video/mp4" -> ".mp4";
            case "application/json" -> ".json";
            case "text/plain" -> ".txt";
            default -> "";
        };
    }
}
