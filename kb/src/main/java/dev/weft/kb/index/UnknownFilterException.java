package dev.weft.kb.index;

import java.util.Set;

/** A search filtered on a metadata key that no chunk of the knowledge base has. */
public final class UnknownFilterException extends IllegalArgumentException {

    private final String key;

    public UnknownFilterException(String key, Set<String> known) {
        super("no chunk of this knowledge base has metadata '" + key + "'; filters may use document_id"
                + (known.isEmpty() ? "" : " or " + String.join(", ", known)));
        this.key = key;
    }

    public String key() {
        return key;
    }
}
