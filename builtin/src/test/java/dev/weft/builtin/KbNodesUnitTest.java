package dev.weft.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.node.NodeCall;
import dev.weft.node.NodeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The kb nodes' own logic, over a recording {@link Knowledge}: the context budget, settings and the address guard. */
class KbNodesUnitTest {

    static Knowledge.Passage passage(String doc, String section, String text) {
        return new Knowledge.Passage(text, 0.5, doc, 1, null, section, 0, text.length(), Map.of());
    }

    @Test
    void the_context_holds_whole_passages_with_their_sources_until_the_budget_is_spent() {
        List<Knowledge.Passage> found = List.of(passage("a.md", "Refunds", "x".repeat(20)),
                passage("b.pdf", null, "y".repeat(20)), passage("c.md", null, "z".repeat(4)));
        String both = "[1] a.md, \"Refunds\"\n" + "x".repeat(20) + "\n\n[2] b.pdf\n" + "y".repeat(20);

        assertThat(Contexts.join(found, (both.length() + 3) / 4)).isEqualTo(both);
        assertThat(Contexts.join(found, 1000)).endsWith("[3] c.md\nzzzz");
        assertThat(Contexts.join(found, 2)).isEqualTo("[1] a.md");
        assertThat(Contexts.join(List.of(), 100)).isEmpty();
    }

    final List<Knowledge.Document> added = new ArrayList<>();
    final Knowledge recording = new Knowledge() {
        @Override
        public List<Passage> search(String kb, Query query) {
            return List.of(passage("guide.md", null, kb + ":" + query.text() + ":" + query.topK() + ":"
                    + query.filters() + ":" + query.vectorWeight() + "/" + query.textWeight()));
        }

        @Override
        public Ingested ingest(String kb, Document document, Duration wait) {
            added.add(document);
            return new Ingested(3, 9, wait.isZero() ? "queued" : "failed", wait.isZero() ? null : "the PDF is corrupt",
                    0, null);
        }

        @Override
        public Document file(String fileId, long maxBytes) {
            throw new AssertionError("not used");
        }
    };

    static NodeCall call(String settings) {
        return new NodeCall(1, "kb", (ObjectNode) Json.read(settings), Json.object(), 1, Duration.ofSeconds(5));
    }

    @Test
    void a_search_passes_its_settings_on_and_emits_chunks_and_context() throws Exception {
        ObjectNode out = new KbSearchNode(recording).run(call("{\"knowledge_base\": \"docs\", \"query\": \"q\", "
                + "\"top_k\": 3, \"filters\": {\"lang\": \"en\", \"team\": [\"a\", \"b\"]}, \"weights\": {\"text\": 0}}"))
                .data();

        assertThat(out.path("chunks").path(0).path("text").asText()).isEqualTo("docs:q:3:{lang=[en], team=[a, b]}:1.0/0.0");
        assertThat(out.path("chunks").path(0).path("source").path("document").asText()).isEqualTo("guide.md");
        assertThat(out.path("context").asText()).startsWith("[1] guide.md\ndocs:q");
    }

    @Test
    void an_ingest_that_fails_fails_the_step_and_one_not_waited_for_emits_its_status() throws Exception {
        assertThatThrownBy(() -> new KbIngestNode(recording, HttpNode.Options.DEFAULT, 1024)
                .run(call("{\"knowledge_base\": \"docs\", \"text\": \"hello\"}")))
                .isInstanceOfSatisfying(NodeException.class, e -> assertThat(e.type()).isEqualTo("kb_ingest_failed"))
                .hasMessage("document 9 ('text.txt') failed: the PDF is corrupt");

        ObjectNode out = new KbIngestNode(recording, HttpNode.Options.DEFAULT, 1024)
                .run(call("{\"knowledge_base\": \"docs\", \"text\": \"hello\", \"wait\": false, \"name\": \"n.md\"}"))
                .data();
        assertThat(Json.write(out)).isEqualTo(Json.write(Json.read("{\"document_id\": 9, \"knowledge_base_id\": 3, \"status\": \"queued\","
                + " \"reason\": null, \"chunks\": {\"done\": 0, \"total\": null}}")));
        assertThat(added).extracting(Knowledge.Document::name).containsExactly("text.txt", "n.md");
    }

    @Test
    void a_url_on_a_private_address_is_refused_before_anything_is_added() {
        assertThatThrownBy(() -> new KbIngestNode(recording, HttpNode.Options.DEFAULT, 1024)
                .run(call("{\"knowledge_base\": \"docs\", \"url\": \"http://127.0.0.1:9/doc.md\"}")))
                .isInstanceOfSatisfying(NodeException.class, e -> assertThat(e.type()).isEqualTo(AddressGuard.REFUSED))
                .hasMessageContaining("loopback address");
        assertThat(added).isEmpty();
    }

    @Test
    void no_source_or_two_sources_are_refused_as_settings() {
        assertThatThrownBy(() -> new KbIngestNode(recording, HttpNode.Options.DEFAULT, 1024)
                .run(call("{\"knowledge_base\": \"docs\"}")))
                .hasMessageContaining("settings.text: give exactly one of text, url or file_id (got 0)");
        assertThat(added).isEmpty();
    }
}
