package dev.weft.kb.embed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The shipped model runs offline and puts related texts nearer than unrelated ones. */
class LocalEmbedderTest {

    static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    @Test
    void related_texts_are_nearer_than_unrelated_ones() throws Exception {
        List<float[]> v = new LocalEmbedder().embed(List.of("How do I get my money back?",
                "Refunds are paid within five days of the return.", "The cat sleeps on the warm windowsill."));

        assertThat(v).allSatisfy(x -> assertThat(x).hasSize(LocalEmbedder.DIMENSION));
        assertThat(cosine(v.get(0), v.get(1))).isGreaterThan(cosine(v.get(0), v.get(2)) + 0.1);
    }
}
