package dev.weft.kb;

import dev.weft.store.kb.IngestLostException;
import dev.weft.store.kb.JdbcKbIngests;
import dev.weft.store.kb.JdbcKnowledgeBases;
import dev.weft.store.kb.KbChunk;
import dev.weft.store.kb.KbDocument;
import dev.weft.store.kb.KnowledgeBase;
import dev.weft.store.kb.Vectors;
import dev.weft.kb.embed.Embedder;
import dev.weft.kb.embed.EmbeddingException;
import dev.weft.kb.embed.Embedders;
import dev.weft.kb.parse.Chunker;
import dev.weft.kb.parse.Documents;
import dev.weft.kb.parse.ParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One round of ingest: claims the next document (queued, or left by a process that died), parses it, stores its
 * chunks, embeds them batch by batch (each batch committed, so a taken-over ingest resumes at the first chunk without
 * a vector), then marks it ready. A document that cannot be parsed or embedded is marked failed with the reason;
 * a provider that is down is tried again on later claims, up to {@link #ATTEMPTS_MAX}. Runs on a
 * {@link dev.weft.concurrent.Loop} (see {@link KnowledgeBases}); {@link #runOnce()} for tests.
 */
public final class Ingester {

    public static final int ATTEMPTS_MAX = 5;
    private static final Logger log = LoggerFactory.getLogger(Ingester.class);

    private final JdbcKnowledgeBases kbs;
    private final JdbcKbIngests ingests;
    private final Documents documents;
    private final Embedders embedders;
    private final LongConsumer readyIn;

    /** {@code readyIn} is told the KB of each document that became ready (to bring this process's index up). */
    public Ingester(JdbcKnowledgeBases kbs, JdbcKbIngests ingests, Documents documents, Embedders embedders,
                    LongConsumer readyIn) {
        this.kbs = kbs;
        this.ingests = ingests;
        this.documents = documents;
        this.embedders = embedders;
        this.readyIn = readyIn;
    }

    /** Ingests the next claimable document; false when there was none. */
    public boolean runOnce() {
        List<KbDocument> claimed = ingests.claim(1);
        if (claimed.isEmpty()) return false;
        KbDocument doc = claimed.get(0);
        try {
            ingest(doc);
        } catch (IngestLostException e) {
            log.info("{}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();   // closing: the lease runs out and another round resumes it
        }
        return true;
    }

    /** Runs rounds until no document is left to claim; returns how many were taken. */
    public int drain() {
        int n = 0;
        while (runOnce()) n++;
        return n;
    }

    private void ingest(KbDocument doc) throws InterruptedException {
        KnowledgeBase kb = kbs.find(doc.kbId()).orElse(null);
        if (kb == null) return;   // deleted meanwhile, with its documents
        if (doc.status() == KbDocument.Status.PARSING) {
            byte[] content = kbs.content(doc.id()).orElse(null);
            if (content == null) return;
            List<KbChunk.New> chunks;
            try {
                Documents.Parsed parsed = documents.parse(content, doc.mediaType(), doc.sourceName());
                chunks = new Chunker(kb.chunking()).chunks(parsed.blocks());
            } catch (ParseException e) {
                ingests.failed(doc, e.getMessage());
                return;
            }
            ingests.storeChunks(doc, chunks);
        }
        Embedder embedder = embedders.of(kb);
        try {
            for (List<KbChunk> batch; !(batch = ingests.unembedded(doc, embedder.batchSize())).isEmpty(); ) {
                List<float[]> vectors = embedder.embed(batch.stream().map(KbChunk::text).toList());
                Map<Long, float[]> byChunk = new LinkedHashMap<>();
                for (int i = 0; i < batch.size(); i++) {
                    float[] v = vectors.get(i);
                    if (v.length != kb.embedding().dimension()) {
                        throw new EmbeddingException("the model gave vectors of " + v.length + " dimensions; this "
                                + "knowledge base holds vectors of " + kb.embedding().dimension(), false);
                    }
                    if (!Vectors.usable(v)) {
                        throw new EmbeddingException("the model gave a zero or non-finite vector for chunk "
                                + batch.get(i).ordinal(), false);
                    }
                    byChunk.put(batch.get(i).id(), v);
                }
                ingests.saveEmbeddings(doc, byChunk);
            }
        } catch (EmbeddingException e) {
            if (!e.isTransient() || doc.attempts() >= ATTEMPTS_MAX) {
                ingests.failed(doc, "embedding failed" + (e.isTransient() ? " " + doc.attempts() + " times" : "")
                        + ": " + e.getMessage());
            } else {
                log.warn("document {}: embedding failed for now, tried again when its lease runs out: {}", doc.id(),
                        e.getMessage());
            }
            return;
        }
        ingests.ready(doc);
        readyIn.accept(doc.kbId());
    }
}
