package dev.weft.store.kb;

import java.util.Map;

/**
 * One passage of a document: its text, where it is in the document (page, section heading, character offsets in
 * the extracted text), its metadata (the document's, plus its own) and its embedding (null until embedded).
 */
public record KbChunk(long id, long kbId, long documentId, int ordinal, String text, Source source, int tokens,
                      Map<String, String> metadata, float[] embedding) {

    /** Where a chunk was found: page (PDF, 1-based) or null, the nearest heading or null, and its offsets. */
    public record Source(Integer page, String section, int start, int end) {}

    /** A chunk cut from a document, not yet stored. */
    public record New(int ordinal, String text, Source source, int tokens, Map<String, String> metadata) {}
}
