package dev.weft.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Text with {@code {{ reference }}} placeholders, parsed once. A reference is a dotted path: either
 * {@code node_id.field[.more]} (an upstream node's output) or {@code field[.more]} (the node's own input field).
 * A template that is exactly one placeholder renders to the referenced JSON value itself, not its text (null when
 * the reference finds nothing).
 */
public final class Template {

    private final String source;
    private final List<String> literals;   // literals.size() == references.size() + 1
    private final List<String> references;

    private Template(String source, List<String> literals, List<String> references) {
        this.source = source;
        this.literals = literals;
        this.references = references;
    }

    /** True when the text contains a placeholder opening, so it needs parsing and rendering. */
    public static boolean hasPlaceholders(String text) {
        return text.contains("{{");
    }

    /** Parses {@code text}; throws {@link IllegalArgumentException} saying what is wrong and where. */
    public static Template parse(String text) {
        List<String> literals = new ArrayList<>();
        List<String> references = new ArrayList<>();
        int from = 0;
        StringBuilder literal = new StringBuilder();
        while (true) {
            int open = text.indexOf("{{", from);
            if (open < 0) {
                literal.append(text, from, text.length());
                break;
            }
            int close = text.indexOf("}}", open + 2);
            if (close < 0) {
                throw new IllegalArgumentException("'{{' at character " + open + " is never closed with '}}'");
            }
            String reference = text.substring(open + 2, close).trim();
            if (reference.isEmpty()) {
                throw new IllegalArgumentException("empty placeholder '{{}}' at character " + open);
            }
            if (reference.startsWith(".") || reference.endsWith(".") || reference.contains("..")) {
                throw new IllegalArgumentException("'" + reference + "' is not a dotted path (node_id.field)");
            }
            literal.append(text, from, open);
            literals.add(literal.toString());
            literal.setLength(0);
            references.add(reference);
            from = close + 2;
        }
        literals.add(literal.toString());
        return new Template(text, List.copyOf(literals), List.copyOf(references));
    }

    public String source() {
        return source;
    }

    /** The references in order of appearance, as written ({@code start.name}). */
    public List<String> references() {
        return references;
    }

    /** Renders to a JSON value: the referenced value itself for a lone placeholder, else text. */
    public JsonNode renderValue(Function<String, JsonNode> resolve) {
        if (references.size() == 1 && literals.get(0).isEmpty() && literals.get(1).isEmpty()) {
            JsonNode value = resolve.apply(references.get(0));
            return value == null || value.isMissingNode() ? NullNode.getInstance() : value;
        }
        return TextNode.valueOf(render(resolve));
    }

    /** Renders to text: strings as they are, numbers and booleans as written, objects and arrays as JSON. */
    public String render(Function<String, JsonNode> resolve) {
        StringBuilder out = new StringBuilder(source.length() + 32);
        for (int i = 0; i < references.size(); i++) {
            out.append(literals.get(i)).append(asText(resolve.apply(references.get(i))));
        }
        return out.append(literals.get(references.size())).toString();
    }

    /** Splits a reference into its path segments. */
    public static String[] segments(String reference) {
        return reference.split("\\.");
    }

    static String asText(JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull()) return "";
        if (value.isValueNode()) return value.asText();
        return value.toString();
    }
}
