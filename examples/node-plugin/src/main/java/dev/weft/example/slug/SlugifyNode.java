package dev.weft.example.slug;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.node.NodeCall;
import dev.weft.node.NodeOutput;
import dev.weft.node.NodeType;
import dev.weft.node.Run;
import java.text.Normalizer;
import java.util.Locale;

/**
 * The {@code slugify} node, an example plugin: emits {@code slug}, its {@code text} setting as lowercase ASCII
 * words joined by {@code separator}, at most {@code max_length} characters. Pure: no I/O, so it runs on the
 * engine's thread. The settings schema in {@code catalogue/slugify.json} is checked by Weft when a flow is saved, and
 * the settings a run rendered are checked again before each run, so the node reads them without checking.
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
        // Weft checked the rendered settings against the schema: text is a string (a reference that produced a
        // number or JSON arrives as its text), the separator one of three, max_length within 1..200.
        String text = call.settings().get("text").asText();
        String separator = call.settings().path("separator").asText("-");
        int max = call.settings().path("max_length").asInt(MAX_LENGTH_DEFAULT);
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("slug", slug(text, separator, max));
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
