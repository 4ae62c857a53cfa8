package dev.weft.kb;

import dev.weft.store.kb.JdbcKbIngests;
import dev.weft.store.kb.KbChunk;
import dev.weft.store.kb.KbDocument;
import dev.weft.store.kb.KnowledgeBase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.engine.testing.ManualClock;
import dev.weft.kb.embed.EmbeddingException;
import dev.weft.kb.embed.Embedders;
import dev.weft.kb.index.Hit;
import dev.weft.kb.index.KbIndexes;
import dev.weft.kb.parse.ParseLimits;
import dev.weft.store.Database;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The knowledge-base service end to end (parse, chunk, embed, index, search) on each database. */
abstract class KnowledgeBasesContract {

    final ManualClock clock = new ManualClock();
    final WordsEmbedder model = new WordsEmbedder();
    @TempDir
    Path data;
    Database database;
    KnowledgeBases service;

    abstract Database openFresh();

    KnowledgeBases open(Database db, Path dir, String owner) {
        return new KnowledgeBases(new KnowledgeBases.Parts(db, dir, clock, owner,
                new Embedders(model, HttpClient.newHttpClient(), (c, h) -> "secret", w -> { }), ParseLimits.DEFAULT,
                Reranker.NONE));
    }

    @BeforeEach
    void open() {
        database = openFresh();
        service = open(database, data.resolve("one"), "p1");
    }

    @AfterEach
    void close() {
        service.close();
        database.close();
    }

    static KnowledgeBase.New kb(String name) {
        return new KnowledgeBase.New(name, null, new KnowledgeBase.Embedding(KnowledgeBase.Embedding.Provider.LOCAL,
                "words", WordsEmbedder.DIMENSION, null, null), new KnowledgeBase.Chunking(40, 5));
    }

    static KbDocument.New text(String name, String text, Map<String, String> metadata) {
        return new KbDocument.New(name, "text/markdown", text.getBytes(StandardCharsets.UTF_8), metadata);
    }

    static final String RETURNS = "# Returns\n\nItems can be returned within thirty days with the receipt.\n\n"
            + "# Refunds\n\nRefunds are paid to the original card within five working days.\n\n"
            + "# Shipping\n\nShipping is free for orders over fifty euros; otherwise it costs four euros.";
    static final String TEAM = "# Team\n\nThe support desk answers the phone from nine to five on weekdays.";

    @Test
    void an_ingested_document_is_found_by_meaning_and_by_words_with_its_source() throws Exception {
        KnowledgeBase base = service.create(kb("shop"));
        KbDocument doc = service.add(base.id(), text("policy.md", RETURNS, Map.of("team", "sales")));
        service.add(base.id(), text("team.md", TEAM, Map.of("team", "support")));

        assertThat(service.ingester().drain()).isEqualTo(2);

        KbDocument ready = service.document(base.id(), doc.id());
        assertThat(ready.status()).isEqualTo(KbDocument.Status.READY);
        assertThat(ready.chunksDone()).isEqualTo(3).isEqualTo(ready.chunksTotal());
        assertThat(service.byName("shop")).isEqualTo(service.get(base.id()));
        List<Hit> hits = service.search(service.byName("shop").id(), Search.of("when are refunds paid").topK(2));
        assertThat(hits.get(0).text()).isEqualTo("Refunds\n\nRefunds are paid to the original card within five working days.");
        assertThat(hits.get(0).source().section()).isEqualTo("Refunds");
        assertThat(hits.get(0).documentId()).isEqualTo(doc.id());
        assertThat(hits.get(0).metadata()).isEqualTo(Map.of("team", "sales"));
        assertThat(hits.get(0).score()).isEqualTo(1.0);
        assertThat(hits.get(0).vectorScore()).isNotNull();
        assertThat(hits.get(0).textScore()).isNotNull();
        assertThat(hits).hasSize(2);
        assertThat(hits.get(1).score()).isLessThan(1.0);
    }

    @Test
    void filters_weights_top_k_and_min_score_shape_the_answer() throws Exception {
        KnowledgeBase base = service.create(kb("shop"));
        service.add(base.id(), text("policy.md", RETURNS, Map.of("team", "sales")));
        KbDocument team = service.add(base.id(), text("team.md", TEAM, Map.of("team", "support")));
        service.ingester().drain();

        assertThat(service.search(base.id(), Search.of("refunds phone").topK(10)
                .filters(Map.of("team", List.of("support"))))).extracting(Hit::documentId).containsExactly(team.id());
        assertThat(service.search(base.id(), Search.of("refunds").topK(10)
                .filters(Map.of("document_id", List.of(Long.toString(team.id())))))).hasSize(1);
        List<Hit> textOnly = service.search(base.id(), Search.of("phone").topK(10).weights(0, 1));
        assertThat(textOnly).extracting(Hit::documentId).containsExactly(team.id());
        assertThat(textOnly.get(0).vectorScore()).isNull();
        assertThat(service.search(base.id(), Search.of("shipping").topK(10).minScore(0.99))).hasSize(1);
        assertThatThrownBy(() -> service.search(base.id(), Search.of("x").filters(Map.of("colour", List.of("red")))))
                .isInstanceOf(KbException.class).hasMessageContaining("no chunk of this knowledge base has metadata "
                        + "'colour'; filters may use document_id or team")
                .extracting(e -> ((KbException) e).field()).isEqualTo("filters.colour");
    }

    @Test
    void bad_searches_are_refused_naming_the_field() {
        KnowledgeBase base = service.create(kb("shop"));

        assertThatThrownBy(() -> service.search(base.id(), Search.of("x".repeat(100_000))))
                .isInstanceOf(KbException.class).extracting(e -> ((KbException) e).field()).isEqualTo("query");
        assertThatThrownBy(() -> service.search(base.id(), new Search("refunds", 5, Map.of(), 1, 1, 0,
                "text-embedding-3-small"))).isInstanceOf(KbException.class)
                .hasMessage("knowledge base 'shop' is embedded with words (64 dimensions); a query embedded with "
                        + "text-embedding-3-small cannot be compared with it");
        assertThatThrownBy(() -> service.search(base.id(), Search.of("x").topK(0)))
                .extracting(e -> ((KbException) e).field()).isEqualTo("top_k");
        assertThatThrownBy(() -> service.search(base.id() + 99, Search.of("x")))
                .extracting(e -> ((KbException) e).kind()).isEqualTo(KbException.Kind.NOT_FOUND);
    }

    @Test
    void a_bad_document_fails_with_its_reason_and_what_was_indexed_stays() throws Exception {
        KnowledgeBase base = service.create(kb("shop"));
        service.add(base.id(), text("policy.md", RETURNS, Map.of()));
        service.ingester().drain();
        List<Hit> before = service.search(base.id(), Search.of("refunds card").topK(10));

        KbDocument bad = service.add(base.id(), new KbDocument.New("x.pdf", "application/pdf",
                "%PDF-1.7 truncated".getBytes(StandardCharsets.UTF_8), Map.of()));
        service.ingester().drain();

        KbDocument failed = service.document(base.id(), bad.id());
        assertThat(failed.status()).isEqualTo(KbDocument.Status.FAILED);
        assertThat(failed.reason()).startsWith("the PDF is corrupt");
        assertThat(service.search(base.id(), Search.of("refunds card").topK(10))).isEqualTo(before);
    }

    @Test
    void a_provider_that_is_down_is_tried_again_and_a_wrong_dimension_fails_the_document() throws Exception {
        KnowledgeBase base = service.create(kb("shop"));
        KbDocument doc = service.add(base.id(), text("team.md", TEAM, Map.of()));
        model.failWith = new EmbeddingException("down", true);

        service.ingester().drain();
        assertThat(service.document(base.id(), doc.id()).status()).isEqualTo(KbDocument.Status.EMBEDDING);
        model.failWith = null;
        clock.advance(JdbcKbIngests.LEASE_DEFAULT.plusSeconds(1));
        service.ingester().drain();
        assertThat(service.document(base.id(), doc.id()).status()).isEqualTo(KbDocument.Status.READY);

        KbDocument other = service.add(base.id(), text("b.md", "Another text.", Map.of()));
        model.failWith = new EmbeddingException("answered vectors of 3 dimensions", false);
        service.ingester().drain();
        assertThat(service.document(base.id(), other.id()).reason()).isEqualTo("embedding failed: answered vectors of 3 dimensions");
    }

    @Test
    void delete_and_reindex_take_chunks_out_of_the_search() throws Exception {
        KnowledgeBase base = service.create(kb("shop"));
        KbDocument policy = service.add(base.id(), text("policy.md", RETURNS, Map.of()));
        KbDocument team = service.add(base.id(), text("team.md", TEAM, Map.of()));
        service.ingester().drain();

        service.reindex(base.id(), team.id());
        assertThat(service.search(base.id(), Search.of("support desk phone").topK(10)))
                .extracting(Hit::documentId).doesNotContain(team.id());
        service.ingester().drain();
        assertThat(service.search(base.id(), Search.of("support desk phone").topK(1)))
                .extracting(Hit::documentId).containsExactly(team.id());

        service.deleteDocument(base.id(), policy.id());
        assertThat(service.search(base.id(), Search.of("refunds").topK(10))).extracting(Hit::documentId)
                .containsOnly(team.id());
        service.delete(base.id());
        assertThat(Files.exists(data.resolve("one/kb/" + base.id()))).isFalse();
        assertThatThrownBy(() -> service.get(base.id())).isInstanceOf(KbException.class);
    }

    @Test
    void a_lost_index_is_rebuilt_from_the_database() throws Exception {
        KnowledgeBase base = service.create(kb("shop"));
        service.add(base.id(), text("policy.md", RETURNS, Map.of()));
        service.ingester().drain();
        List<Hit> before = service.search(base.id(), Search.of("free shipping").topK(3));
        service.close();
        try (Stream<Path> files = Files.walk(data.resolve("one/kb"))) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }

        service = open(database, data.resolve("one"), "p1");

        assertThat(service.search(base.id(), Search.of("free shipping").topK(3))).isEqualTo(before);
    }

    @Test
    void an_index_left_alone_for_a_while_is_merged_into_one_segment_and_answers_the_same() throws Exception {
        KnowledgeBase base = service.create(kb("shop"));
        service.add(base.id(), text("policy.md", RETURNS, Map.of()));
        service.ingester().drain();
        service.add(base.id(), text("team.md", TEAM, Map.of()));
        service.ingester().drain();
        assertThat(service.indexSegments(base.id())).isEqualTo(2);   // one per commit
        List<Hit> before = service.search(base.id(), Search.of("support phone refunds shipping").topK(5));

        service.syncIndexes().join();   // written a moment ago: left as it is
        assertThat(service.indexSegments(base.id())).isEqualTo(2);

        clock.advance(KbIndexes.COMPACT_AFTER_IDLE);
        service.syncIndexes().join();

        assertThat(service.indexSegments(base.id())).isEqualTo(1);
        assertThat(service.search(base.id(), Search.of("support phone refunds shipping").topK(5))).isEqualTo(before);
        service.close();
        service = open(database, data.resolve("one"), "p1");   // the merge was committed, not only shown
        assertThat(service.indexSegments(base.id())).isEqualTo(1);
    }

    @Test
    void a_second_instance_answers_the_same_right_after_an_ingest_through_the_first() throws Exception {
        KnowledgeBase base = service.create(kb("shop"));
        service.add(base.id(), text("policy.md", RETURNS, Map.of()));
        service.ingester().drain();
        try (Database db2 = reopen(); KnowledgeBases second = open(db2, data.resolve("two"), "p2")) {
            assertThat(second.search(base.id(), Search.of("refunds card").topK(5)))
                    .isEqualTo(service.search(base.id(), Search.of("refunds card").topK(5)));

            KbDocument team = service.add(base.id(), text("team.md", TEAM, Map.of()));
            service.ingester().drain();

            assertThat(second.search(base.id(), Search.of("support desk phone").topK(1)))
                    .extracting(Hit::documentId).containsExactly(team.id());
            assertThat(second.search(base.id(), Search.of("support phone refunds").topK(5)))
                    .isEqualTo(service.search(base.id(), Search.of("support phone refunds").topK(5)));
        }
    }

    @Test
    void an_ingest_left_half_done_by_a_dead_process_resumes_at_the_first_chunk_without_a_vector() throws Exception {
        KnowledgeBase base = service.create(kb("shop"));
        String many = String.join("\n\n", java.util.Collections.nCopies(10, "# Part\n\nSome words about parts."));
        KbDocument doc = service.add(base.id(), text("parts.md", many, Map.of()));
        JdbcKbIngests dead = new JdbcKbIngests(database, clock, "dead", JdbcKbIngests.LEASE_DEFAULT);
        KbDocument claimed = dead.claim(1).get(0);
        dead.storeChunks(claimed, new dev.weft.kb.parse.Chunker(base.chunking()).chunks(
                new dev.weft.kb.parse.Documents(ParseLimits.DEFAULT).parse(many.getBytes(StandardCharsets.UTF_8),
                        "text/markdown", "parts.md").blocks()));
        List<KbChunk> firstBatch = dead.unembedded(claimed, 4);
        float[] marked = new float[WordsEmbedder.DIMENSION];
        marked[1] = 7;
        dead.saveEmbeddings(claimed, Map.of(firstBatch.get(0).id(), marked, firstBatch.get(1).id(), marked));

        assertThat(service.ingester().drain()).isZero();   // its lease still runs
        clock.advance(JdbcKbIngests.LEASE_DEFAULT.plusSeconds(1));
        assertThat(service.ingester().drain()).isEqualTo(1);

        KbDocument ready = service.document(base.id(), doc.id());
        assertThat(ready.status()).isEqualTo(KbDocument.Status.READY);
        assertThat(ready.chunksDone()).isEqualTo(10);
        assertThat(ready.attempts()).isEqualTo(2);
        assertThat(model.calls.get()).isEqualTo(2);   // 8 chunks left, 4 a batch: nothing embedded twice
        assertThat(service.chunks(base.id(), doc.id()).get(0).embedding()).isEqualTo(marked);
        assertThat(service.chunks(base.id(), doc.id()).get(2).embedding()).isNotEqualTo(marked);
    }

    @Test
    void a_second_process_on_the_same_data_folder_is_refused_and_the_first_index_survives() throws Exception {
        KnowledgeBase base = service.create(kb("shop"));
        service.add(base.id(), text("policy.md", RETURNS, Map.of()));
        service.ingester().drain();
        List<Hit> before = service.search(base.id(), Search.of("free shipping").topK(3));

        try (Database db2 = reopen(); KnowledgeBases same = open(db2, data.resolve("one"), "p2")) {
            assertThatThrownBy(() -> same.search(base.id(), Search.of("free shipping")))
                    .hasMessageContaining("in use by another process");
        }

        assertThat(service.search(base.id(), Search.of("free shipping").topK(3))).isEqualTo(before);
    }

    /** A second connection to the same database, as another process would have. */
    abstract Database reopen();
}
