package dev.weft.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.node.NodeException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The images of a vision prompt ({@code llm} and {@code agent}'s {@code images} setting), resolved to what the
 * providers take: an outside http(s) URL is passed as a URL (the provider fetches it); one of this Weft's files, or a
 * data URL, is sent inline as base64. Weft files always go inline, since a local model (Ollama, llama.cpp) cannot
 * fetch Weft's URLs and Weft's file URLs need no public address this way. Reading a Weft file blocks.
 */
final class Images {

    /** An image: {@code url} for an outside image, else its media type and base64 bytes. */
    record Image(String url, String mediaType, String base64) {

        /** As OpenAI-compatible chat completions take it: {@code {"type": "image_url", "image_url": {"url"}}}. */
        ObjectNode openAi() {
            ObjectNode part = Json.object().put("type", "image_url");
            part.putObject("image_url").put("url", url != null ? url : "data:" + mediaType + ";base64," + base64);
            return part;
        }

        /** As Anthropic's Messages API takes it: {@code {"type": "image", "source": {"type": "url" | "base64"}}}. */
        ObjectNode anthropic() {
            ObjectNode part = Json.object().put("type", "image");
            ObjectNode source = part.putObject("source");
            if (url != null) source.put("type", "url").put("url", url);
            else source.put("type", "base64").put("media_type", mediaType).put("data", base64);
            return part;
        }
    }

    /** The largest image sent inline: OpenAI takes up to 20 MB an image (Anthropic 5 MB; it says so if over). */
    static final long MAX_BYTES_DEFAULT = 20L * 1024 * 1024;
    /** Images without a file store: URLs and data URLs only. */
    static final Images NONE = new Images(FileSink.NONE, MAX_BYTES_DEFAULT);

    private final FileSink files;
    private final long maxBytes;

    Images(FileSink files, long maxBytes) {
        this.files = files;
        this.maxBytes = maxBytes;
    }

    /**
     * The image references a rendered {@code images} setting holds: a string, or a list of strings and file objects
     * (an object's {@code url}, as the files and model nodes emit them); blank strings are skipped.
     */
    static List<String> refs(JsonNode value) {
        List<String> refs = new ArrayList<>();
        if (Settings.absent(value)) return refs;
        List<JsonNode> items = new ArrayList<>();
        if (value.isArray()) value.forEach(items::add);
        else items.add(value);
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String path = value.isArray() ? "images[" + i + "]" : "images";
            if (item.isObject() && item.path("url").isTextual()) item = item.get("url");
            if (!item.isTextual()) {
                throw Settings.invalid(path, "must be an image's URL or one of this Weft's files (got "
                        + Settings.describe(item) + ")");
            }
            if (!item.asText().isBlank()) refs.add(item.asText().strip());
        }
        return refs;
    }

    /** Resolves every reference, in order; a wrong one fails the step naming it. Blocks to read Weft files. */
    List<Image> resolve(List<String> refs) {
        List<Image> images = new ArrayList<>();
        for (int i = 0; i < refs.size(); i++) images.add(resolve(refs.get(i), "images[" + i + "]"));
        return images;
    }

    private Image resolve(String ref, String path) {
        if (ref.regionMatches(true, 0, "data:", 0, 5)) {
            int comma = ref.indexOf(";base64,");
            if (comma < 0) throw Settings.invalid(path, "a data URL must be base64 (data:image/png;base64,...)");
            return image(ref.substring(5, comma), ref.substring(comma + 8), path);
        }
        Optional<FileSink.Loaded> file;
        try {
            file = files.load(ref, maxBytes);
        } catch (NodeException e) {
            throw new NodeException(e.type(), "settings." + path + ": " + e.getMessage(), e.retryable());
        }
        if (file.isPresent()) {
            return image(file.get().contentType(), Base64.getEncoder().encodeToString(file.get().bytes()),
                    path + " (file " + file.get().id() + ")");
        }
        String lower = ref.toLowerCase(Locale.ROOT);
        if ((lower.startsWith("http://") || lower.startsWith("https://")) && HttpSettings.urlProblem(ref) == null) {
            return new Image(ref, null, null);
        }
        throw Settings.invalid(path, "must be an http(s) URL, a data URL or one of this Weft's files (got '"
                + (ref.length() > 80 ? ref.substring(0, 80) + "..." : ref) + "')");
    }

    private static Image image(String contentType, String base64, String path) {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT).trim();
        int semicolon = type.indexOf(';');
        if (semicolon >= 0) type = type.substring(0, semicolon).trim();
        if (!type.startsWith("image/")) {
            throw Settings.invalid(path, "is " + (type.isEmpty() ? "of no media type" : type) + ", not an image");
        }
        return new Image(null, type, base64);
    }
}
