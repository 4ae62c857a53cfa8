package dev.weft.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/** Follows dotted paths into JSON values: object fields by name, array items by index. */
public final class Paths {

    private Paths() {}

    /** The value at {@code segments[from..]} below {@code root}, or a missing node. */
    public static JsonNode at(JsonNode root, String[] segments, int from) {
        JsonNode current = root;
        for (int i = from; i < segments.length && current != null && !current.isMissingNode(); i++) {
            String segment = segments[i];
            if (current.isArray()) {
                current = isIndex(segment) ? current.path(Integer.parseInt(segment)) : MissingNode.getInstance();
            } else {
                current = current.path(segment);
            }
        }
        return current == null ? MissingNode.getInstance() : current;
    }

    private static boolean isIndex(String segment) {
        if (segment.isEmpty() || segment.length() > 9) return false;
        for (int i = 0; i < segment.length(); i++) {
            if (!Character.isDigit(segment.charAt(i))) return false;
        }
        return true;
    }
}
