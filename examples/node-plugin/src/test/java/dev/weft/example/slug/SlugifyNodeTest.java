package dev.weft.example.slug;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.node.Catalogue;
import dev.weft.node.NodeCall;
import dev.weft.node.Run;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SlugifyNodeTest {

    private final SlugifyNode node = new SlugifyNode();

    @Test
    void accents_and_punctuation_become_lowercase_ascii_words() {
        assertThat(SlugifyNode.slug("Crème brûlée à la Weft!", "-", 80)).isEqualTo("creme-brulee-a-la-weft");
        assertThat(SlugifyNode.slug("  Hello,   World  ", "_", 80)).isEqualTo("hello_world");
        assertThat(SlugifyNode.slug("!!!", "-", 80)).isEmpty();
    }

    @Test
    void a_long_slug_is_cut_at_a_word_boundary_and_a_long_word_is_cut_itself() {
        assertThat(SlugifyNode.slug("one two three", "-", 8)).isEqualTo("one-two");
        assertThat(SlugifyNode.slug("incomprehensibilities", "-", 5)).isEqualTo("incom");
    }

    @Test
    void runs_pure_and_emits_slug_on_success() throws Exception {
        ObjectNode settings = new ObjectMapper().createObjectNode().put("text", "A B").put("separator", ".");
        Run run = node.run();

        assertThat(run).isInstanceOf(Run.Pure.class);
        var output = ((Run.Pure) run).body().apply(new NodeCall(1, "slug", settings,
                new ObjectMapper().createObjectNode(), 1, Duration.ofSeconds(1)));
        assertThat(output.port()).isEqualTo("success");
        assertThat(output.data().path("slug").asText()).isEqualTo("a.b");
    }

    @Test
    void its_catalogue_entry_is_read_from_beside_the_class() {
        Catalogue catalogue = node.catalogue();

        assertThat(catalogue.title()).isEqualTo("Slugify");
        assertThat(catalogue.shape().fields()).contains(java.util.List.of("slug"));
        assertThat(catalogue.settingsSchema().path("required").get(0).asText()).isEqualTo("text");
    }
}
