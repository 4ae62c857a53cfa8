package dev.weft.builtin;

import dev.weft.node.NodeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The knowledge bases the {@code kb_search} and {@code kb_ingest} nodes use: the server implements it over its
 * knowledge-base service, so this module knows only this interface (and pulls in no index or model). A knowledge
 * base is named by its name or, when the text is all digits, its id. Failures are {@link NodeException}s with a
 * stable type: {@code kb_not_found}, {@code kb_invalid} (a setting the KB refuses, naming it), {@code kb_unavailable}.
 */
public interface Knowledge {

    /** A search as a node asks it. */
    record Query(String text, int topK, double minScore, Map<String, List<String>> filters, double vectorWeight,
                 double textWeight) {}

    /**
     * One passage found: its text, fused score, the document's name and id, where it is in the document (page or
     * null, section heading or null, character offsets) and its metadata.
     */
    record Passage(String text, double score, String document, long documentId, Integer page, String section,
                   int start, int end, Map<String, String> metadata) {}

    /** A document to add: its name, media type (null: guessed from the name), bytes and metadata. */
    record Document(String name, String mediaType, byte[] bytes, Map<String, String> metadata) {}

    /** A document's ingest as it stands: its KB, id, status word, failure reason, and progress in chunks. */
    record Ingested(long kbId, long documentId, String status, String reason, int chunksDone, Integer chunksTotal) {}

    /** For an engine without knowledge bases (a local run): a step fails, naming why. */
    Knowledge NONE = new Knowledge() {
        @Override
        public List<Passage> search(String kb, Query query) {
            throw none();
        }

        @Override
        public Ingested ingest(String kb, Document document, Duration wait) {
            throw none();
        }

        @Override
        public Document file(String fileId, long maxBytes) {
            throw none();
        }

        private NodeException none() {
            return new NodeException("no_knowledge_bases", "this Weft has no knowledge bases (kb steps need a server)",
                    false);
        }
    };

    /** Searches the knowledge base named {@code kb}. */
    List<Passage> search(String kb, Query query) throws InterruptedException;

    /** Adds a document to {@code kb}; waits up to {@code wait} (zero: not at all) for its ingest to finish. */
    Ingested ingest(String kb, Document document, Duration wait) throws InterruptedException;

    /** A file of Weft's file store as a document, refused when over {@code maxBytes}. */
    Document file(String fileId, long maxBytes);

    /**
     * These knowledge bases as task {@code taskId} sees them: on a server with workspaces, those of the task's
     * workspace (a name or id of another workspace's is {@code kb_not_found}). Nodes use this view.
     */
    default Knowledge forTask(long taskId) {
        return this;
    }
}
