package dev.weft.store.kb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.engine.testing.ManualClock;
import dev.weft.store.Database;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The knowledge-base store's contract: every database Weft runs on keeps KBs, ingests and changes the same way. */
abstract class KnowledgeStoreContract {

    static final Duration LEASE = Duration.ofMinutes(1);
    final ManualClock clock = new ManualClock();
    @TempDir
    Path folder;
    Database database;
    JdbcKnowledgeBases kbs;
    JdbcKbIngests ingests;

    abstract Database openFresh();

    @BeforeEach
    void open() {
        database = openFresh();
        kbs = new JdbcKnowledgeBases(database, clock);
        ingests = new JdbcKbIngests(database, clock, "p1", LEASE);
    }

    @AfterEach
    void close() {
        database.close();
    }

    static KnowledgeBase.New kb(String name) {
        return new KnowledgeBase.New(name, "docs", new KnowledgeBase.Embedding(KnowledgeBase.Embedding.Provider.LOCAL,
                "all-minilm-l6-v2", 3, null, null), new KnowledgeBase.Chunking(200, 20));
    }

    static KbDocument.New doc(String text) {
        return new KbDocument.New("a.txt", "text/plain", text.getBytes(StandardCharsets.UTF_8), Map.of("team", "ops"));
    }

    static List<KbChunk.New> chunks(String... texts) {
        List<KbChunk.New> list = new java.util.ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            list.add(new KbChunk.New(i, texts[i], new KbChunk.Source(i == 0 ? 1 : null, i == 0 ? "Intro" : null, i * 10,
                    i * 10 + texts[i].length()), 3, i == 1 ? Map.of("lang", "fr") : Map.of()));
        }
        return list;
    }

    @Test
    void a_created_kb_is_found_listed_and_refuses_a_second_of_its_name() {
        KnowledgeBase made = kbs.create(kb("docs")).orElseThrow();

        assertThat(made.name()).isEqualTo("docs");
        assertThat(made.embedding()).isEqualTo(kb("docs").embedding());
        assertThat(made.chunking()).isEqualTo(new KnowledgeBase.Chunking(200, 20));
        assertThat(made.version()).isZero();
        assertThat(kbs.find(made.id())).contains(made);
        assertThat(kbs.findByName("docs")).contains(made);
        assertThat(kbs.findByName("other")).isEmpty();
        assertThat(kbs.list()).containsExactly(made);
        assertThat(kbs.create(kb("docs"))).isEmpty();
        assertThat(kbs.list()).hasSize(1);
    }

    @Test
    void a_document_goes_from_queued_to_ready_with_its_chunks_and_vectors() {
        KnowledgeBase base = kbs.create(kb("docs")).orElseThrow();
        KbDocument added = kbs.addDocument(base.id(), doc("hello world")).orElseThrow();
        assertThat(added.status()).isEqualTo(KbDocument.Status.QUEUED);
        assertThat(added.size()).isEqualTo(11);
        assertThat(kbs.content(added.id()).orElseThrow()).isEqualTo("hello world".getBytes(StandardCharsets.UTF_8));

        KbDocument claimed = ingests.claim(5).get(0);
        assertThat(claimed.status()).isEqualTo(KbDocument.Status.PARSING);
        assertThat(ingests.claim(5)).isEmpty();
        ingests.storeChunks(claimed, chunks("hello", "monde"));
        assertThat(kbs.document(added.id()).orElseThrow().chunksTotal()).isEqualTo(2);

        List<KbChunk> todo = ingests.unembedded(claimed, 10);
        assertThat(todo).extracting(KbChunk::text).containsExactly("hello", "monde");
        ingests.saveEmbeddings(claimed, Map.of(todo.get(0).id(), new float[] {1, 0, 0.5f}));
        assertThat(kbs.document(added.id()).orElseThrow().chunksDone()).isEqualTo(1);
        assertThat(ingests.unembedded(claimed, 10)).extracting(KbChunk::text).containsExactly("monde");
        ingests.saveEmbeddings(claimed, Map.of(todo.get(1).id(), new float[] {0, 1, -2}));
        long version = ingests.ready(claimed);

        KbDocument ready = kbs.document(added.id()).orElseThrow();
        assertThat(ready.status()).isEqualTo(KbDocument.Status.READY);
        assertThat(ready.chunksDone()).isEqualTo(2);
        assertThat(version).isEqualTo(1);
        assertThat(kbs.version(base.id())).contains(1L);
        assertThat(kbs.changesAfter(base.id(), 0, 10))
                .containsExactly(new KbChange(base.id(), 1, added.id(), KbChange.Kind.READY));
        List<KbChunk> stored = kbs.chunks(added.id());
        assertThat(stored.get(0).embedding()).containsExactly(1, 0, 0.5f);
        assertThat(stored.get(0).source()).isEqualTo(new KbChunk.Source(1, "Intro", 0, 5));
        assertThat(stored.get(0).metadata()).isEqualTo(Map.of("team", "ops"));
        assertThat(stored.get(1).metadata()).isEqualTo(Map.of("team", "ops", "lang", "fr"));
        assertThat(kbs.readyDocuments(base.id())).containsExactly(added.id());
    }

    @Test
    void an_ingest_whose_lease_ran_out_is_taken_over_and_the_old_owner_writes_nothing() {
        KnowledgeBase base = kbs.create(kb("docs")).orElseThrow();
        kbs.addDocument(base.id(), doc("x")).orElseThrow();
        KbDocument first = ingests.claim(1).get(0);
        ingests.storeChunks(first, chunks("a", "b"));
        ingests.saveEmbeddings(first, Map.of(ingests.unembedded(first, 1).get(0).id(), new float[] {1, 1, 1}));

        JdbcKbIngests other = new JdbcKbIngests(database, clock, "p2", LEASE);
        assertThat(other.claim(1)).isEmpty();
        clock.advance(LEASE.plusSeconds(1));
        KbDocument resumed = other.claim(1).get(0);

        assertThat(resumed.status()).isEqualTo(KbDocument.Status.EMBEDDING);
        assertThat(resumed.attempts()).isEqualTo(2);
        assertThat(other.unembedded(resumed, 10)).extracting(KbChunk::text).containsExactly("b");
        assertThatThrownBy(() -> ingests.ready(first)).isInstanceOf(IngestLostException.class);
        assertThat(kbs.version(base.id())).contains(0L);
    }

    @Test
    void a_failed_document_keeps_its_reason_and_leaves_the_rest_of_the_kb_alone() {
        KnowledgeBase base = kbs.create(kb("docs")).orElseThrow();
        KbDocument good = kbs.addDocument(base.id(), doc("good")).orElseThrow();
        KbDocument g = ingests.claim(1).get(0);
        ingests.storeChunks(g, chunks("good"));
        ingests.saveEmbeddings(g, Map.of(ingests.unembedded(g, 1).get(0).id(), new float[] {1, 2, 3}));
        ingests.ready(g);
        KbDocument bad = kbs.addDocument(base.id(), doc("bad")).orElseThrow();
        KbDocument b = ingests.claim(1).get(0);
        ingests.storeChunks(b, chunks("half"));

        ingests.failed(b, "the PDF is encrypted");

        KbDocument failed = kbs.document(bad.id()).orElseThrow();
        assertThat(failed.status()).isEqualTo(KbDocument.Status.FAILED);
        assertThat(failed.reason()).isEqualTo("the PDF is encrypted");
        assertThat(kbs.chunks(bad.id())).isEmpty();
        assertThat(kbs.chunks(good.id())).hasSize(1);
        assertThat(kbs.document(good.id()).orElseThrow().status()).isEqualTo(KbDocument.Status.READY);
        assertThat(kbs.version(base.id())).contains(1L);
    }

    @Test
    void reindex_and_delete_record_removals_and_stop_the_old_ingest() {
        KnowledgeBase base = kbs.create(kb("docs")).orElseThrow();
        KbDocument d = kbs.addDocument(base.id(), doc("text")).orElseThrow();
        KbDocument first = ingests.claim(1).get(0);
        ingests.storeChunks(first, chunks("text"));

        assertThat(kbs.reindex(d.id())).isTrue();
        assertThat(kbs.chunks(d.id())).isEmpty();
        assertThatThrownBy(() -> ingests.saveEmbeddings(first, Map.of(1L, new float[] {1, 1, 1})))
                .isInstanceOf(IngestLostException.class);
        KbDocument again = ingests.claim(1).get(0);
        assertThat(again.generation()).isEqualTo(2);
        assertThat(kbs.deleteDocument(d.id())).isTrue();
        assertThat(kbs.deleteDocument(d.id())).isFalse();
        assertThat(kbs.reindex(d.id())).isFalse();
        assertThat(kbs.changesAfter(base.id(), 0, 10)).extracting(KbChange::kind)
                .containsExactly(KbChange.Kind.REMOVED, KbChange.Kind.REMOVED);
        assertThat(kbs.changesAfter(base.id(), 1, 10)).extracting(KbChange::version).containsExactly(2L);
    }

    @Test
    void deleting_a_kb_deletes_its_documents_and_a_missing_kb_takes_no_document() {
        KnowledgeBase base = kbs.create(kb("docs")).orElseThrow();
        KbDocument d = kbs.addDocument(base.id(), doc("text")).orElseThrow();

        assertThat(kbs.delete(base.id())).isTrue();
        assertThat(kbs.delete(base.id())).isFalse();
        assertThat(kbs.document(d.id())).isEmpty();
        assertThat(kbs.find(base.id())).isEmpty();
        assertThat(kbs.addDocument(base.id(), doc("late"))).isEmpty();
        assertThat(ingests.claim(5)).isEmpty();
    }
}
