package dev.weft.example.slug;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.node.NodeCall;
import dev.weft.node.NodeException;
import dev.weft.node.NodeOutput;
import dev.weft.node.NodeType;
import dev.weft.node.Run;
import java.text.Normalizer;
import java.util.Locale;

/**
 * The {@code slugify} node, an example plugin: emits {@code slug}, its {@code text} setting as lowercase ASCII
 * words joined by {@code separator}, at most {@code max_length} characters. Pure: no I/O, so it runs on the
 * engine's thread. The settings schema in {@code catalogue/slugify.json} is checked by Weft when a flow is saved.
 */
public final class SlugifyNode implements NodeType {

    static final int MAX_LENGTH_DEFAULT = 80;

    @Override
    public String id() {
        return "slugify";
    }

    @Override
    public Run run() {
        return Run.pure(this::slugify);
    }

    NodeOutput slugify(NodeCall call) {
        JsonNode text = call.settings().get("text");
        // Rendered settings are not checked again: a reference may have produced a number or nothing.
        if (text == null || text.isNull()) throw new NodeException("settings", "settings.text: is required", false);
        String separator = call.settings().path("separator").asText("-");
        int max = call.settings().path("max_length").asInt(MAX_LENGTH_DEFAULT);
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("slug", slug(text.isTextual() ? text.asText() : text.toString(), separator, max));
        return NodeOutput.success(data);
    }

    /** Lowercase ASCII words of {@code text} joined by {@code separator}, cut at a word boundary. */
    static String slug(String text, String separator, int max) {
        String ascii = Normalizer.normalize(text, Normalizer.Form.NFKD).replaceAll("\\p{M}+", "");
        StringBuilder slug = new StringBuilder();
        for (String word : ascii.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
            if (word.isEmpty()) continue;
            int length = slug.length() + (slug.length() == 0 ? 0 : separator.length()) + word.length();
            if (length > max) {
                if (slug.length() == 0) slug.append(word, 0, max);
                break;
            }
            if (slug.length() > 0) slug.append(separator);
            slug.append(word);
        }
        return slug.toString();
    }
}
