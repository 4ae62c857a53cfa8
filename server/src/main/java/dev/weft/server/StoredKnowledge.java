package dev.weft.server;

import dev.weft.builtin.Knowledge;
import dev.weft.store.kb.KbChunk;
import dev.weft.store.kb.KbDocument;
import dev.weft.kb.KbException;
import dev.weft.store.kb.KnowledgeBase;
import dev.weft.kb.KnowledgeBases;
import dev.weft.kb.Search;
import dev.weft.kb.index.Hit;
import dev.weft.kb.parse.Format;
import dev.weft.node.NodeException;
import dev.weft.store.FileRecord;
import dev.weft.store.JdbcFileStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The knowledge bases the kb nodes use, over the server's {@link KnowledgeBases} and file store: a KB named by its
 * name or id, the service's refusals turned into step errors that name the setting ({@code kb_not_found},
 * {@code kb_invalid}), and Weft files read as documents.
 */
final class StoredKnowledge implements Knowledge {

    private final KnowledgeBases service;
    private final JdbcFileStore files;
    /** The task whose step asks (its workspace's KBs and files), or null: any workspace's (no task). */
    private final Long taskId;

    StoredKnowledge(KnowledgeBases service, JdbcFileStore files) {
        this(service, files, null);
    }

    private StoredKnowledge(KnowledgeBases service, JdbcFileStore files, Long taskId) {
        this.service = service;
        this.files = files;
        this.taskId = taskId;
    }

    /** The knowledge bases of task {@code taskId}'s workspace: a step naming "manual" gets its own workspace's. */
    @Override
    public Knowledge forTask(long taskId) {
        return new StoredKnowledge(service, files, taskId);
    }

    @Override
    public List<Passage> search(String kb, Query query) throws InterruptedException {
        KnowledgeBase base = find(kb);
        List<Hit> hits;
        try {
            hits = service.search(base.id(), Search.of(query.text()).topK(query.topK()).minScore(query.minScore())
                    .filters(query.filters()).weights(query.vectorWeight(), query.textWeight()));
        } catch (KbException e) {
            throw failure(e, base);
        }
        Map<Long, String> names = new HashMap<>();
        List<Passage> passages = new ArrayList<>(hits.size());
        for (Hit hit : hits) {
            String name = names.computeIfAbsent(hit.documentId(), id -> documentName(base.id(), id));
            KbChunk.Source source = hit.source();
            passages.add(new Passage(hit.text(), hit.score(), name, hit.documentId(), source.page(), source.section(),
                    source.start(), source.end(), hit.metadata()));
        }
        return passages;
    }

    private String documentName(long kbId, long documentId) {
        try {
            return service.document(kbId, documentId).sourceName();
        } catch (KbException e) {   // deleted since the search: its passage still says where it came from
            return "document " + documentId;
        }
    }

    @Override
    public Ingested ingest(String kb, Document document, Duration wait) throws InterruptedException {
        KnowledgeBase base = find(kb);
        String type = document.mediaType() != null && !document.mediaType().equals("application/octet-stream")
                ? document.mediaType() : Format.byName(document.name()).map(Format::mediaType).orElse("application/octet-stream");
        KbDocument added;
        try {
            added = service.add(base.id(), new KbDocument.New(document.name(), type, document.bytes(),
                    document.metadata()));
            if (!wait.isZero()) added = service.await(base.id(), added.id(), wait);
        } catch (KbException e) {
            throw failure(e, base);
        }
        return new Ingested(base.id(), added.id(), added.status().word(), added.reason(), added.chunksDone(),
                added.chunksTotal());
    }

    @Override
    public Document file(String fileId, long maxBytes) {
        FileRecord file = (!JdbcFileStore.ID.matcher(fileId).matches() ? java.util.Optional.<FileRecord>empty()
                : taskId == null ? files.find(fileId)
                : service.taskWorkspace(taskId).flatMap(workspace -> files.find(fileId, workspace))).orElseThrow(() -> new NodeException("file_not_found", "settings.file_id: no "
                + "file '" + fileId + "' in Weft's file store", false));
        if (file.size() > maxBytes) {
            throw new NodeException("file_too_large", "settings.file_id: file '" + fileId + "' has " + file.size()
                    + " bytes; a document may have at most " + maxBytes, false);
        }
        try (InputStream in = files.open(file)) {
            return new Document(file.name(), file.contentType(), in.readAllBytes(), Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException("reading file " + fileId + " failed", e);
        }
    }

    private KnowledgeBase find(String kb) {
        try {
            if (taskId != null) return service.forTask(taskId, kb);
            return kb.matches("[0-9]{1,18}") ? service.get(Long.parseLong(kb)) : service.byName(kb);
        } catch (KbException e) {
            throw new NodeException("kb_not_found", "settings.knowledge_base: no knowledge base is named or numbered '"
                    + kb + "'", false);
        }
    }

    private static NodeException failure(KbException e, KnowledgeBase kb) {
        String field = switch (e.field()) {
            case "top_k", "min_score", "weights", "filters", "query" -> "settings." + e.field();
            default -> e.field().startsWith("filters.") ? "settings." + e.field() : e.field();
        };
        return new NodeException("kb_" + e.kind().name().toLowerCase(Locale.ROOT), field + ": " + e.getMessage()
                + " (knowledge base '" + kb.name() + "')", false);
    }
}
