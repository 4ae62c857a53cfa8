package dev.weft.kb.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.store.kb.KbChunk;
import dev.weft.store.kb.KnowledgeBase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkerTest {

    static String sentences(String word, int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) text.append(text.isEmpty() ? "" : " ").append(word).append(" number ").append(i).append(" ends here.");
        return text.toString();   // 5 tokens per sentence
    }

    @Test
    void paragraphs_are_packed_whole_and_a_heading_starts_a_chunk() {
        Chunker chunker = new Chunker(new KnowledgeBase.Chunking(20, 0));
        List<Block> blocks = List.of(Block.heading("Intro"), Block.paragraph("One two three."),
                Block.paragraph("Four five six."), Block.heading("Next"), Block.paragraph("Seven."));

        List<KbChunk.New> chunks = chunker.chunks(blocks);

        assertThat(chunks).extracting(KbChunk.New::text)
                .containsExactly("Intro\n\nOne two three.\n\nFour five six.", "Next\n\nSeven.");
        assertThat(chunks).extracting(c -> c.source().section()).containsExactly("Intro", "Next");
        assertThat(chunks.get(0).source()).isEqualTo(new KbChunk.Source(null, "Intro", 0, 37));
        assertThat(chunks.get(1).source().start()).isEqualTo(39);
        assertThat(chunks).extracting(KbChunk.New::ordinal).containsExactly(0, 1);
    }

    @Test
    void a_long_paragraph_is_cut_between_sentences_with_overlap_and_no_chunk_passes_the_size() {
        Chunker chunker = new Chunker(new KnowledgeBase.Chunking(24, 6));
        String text = sentences("Fox", 20);

        List<KbChunk.New> chunks = chunker.chunks(List.of(Block.paragraph(text)));

        assertThat(chunks).hasSizeGreaterThan(4);
        assertThat(chunks).allSatisfy(c -> assertThat(Tokens.count(c.text())).isLessThanOrEqualTo(24));
        for (int i = 1; i < chunks.size(); i++) {   // each starts with the previous one's last sentence
            String previous = chunks.get(i - 1).text();
            String lastSentence = previous.substring(previous.lastIndexOf("Fox number"));
            assertThat(chunks.get(i).text()).startsWith(lastSentence);
        }
        assertThat(chunks.get(chunks.size() - 1).text()).endsWith("Fox number 19 ends here.");
        for (KbChunk.New c : chunks) {   // offsets point at the text
            assertThat(text.substring(c.source().start(), c.source().end()).strip()).isEqualTo(c.text().replace("\n\n", " "));
        }
    }

    @Test
    void a_table_that_fits_stays_whole_and_a_big_one_repeats_its_header() {
        Chunker chunker = new Chunker(new KnowledgeBase.Chunking(30, 5));
        Block small = new Block(Block.Kind.TABLE, "k | v\na | 1\nb | 2", null);
        List<String> rows = new ArrayList<>(List.of("item | price"));
        for (int i = 0; i < 20; i++) rows.add("thing" + i + " | " + i);
        Block big = new Block(Block.Kind.TABLE, String.join("\n", rows), null);

        List<KbChunk.New> chunks = chunker.chunks(List.of(Block.paragraph("Before."), small, big));

        assertThat(chunks.get(0).text()).isEqualTo("Before.");
        assertThat(chunks.get(1).text()).isEqualTo("k | v\na | 1\nb | 2");
        List<KbChunk.New> parts = chunks.subList(2, chunks.size());
        assertThat(parts).hasSizeGreaterThan(2);
        assertThat(parts).allSatisfy(c -> {
            assertThat(c.text()).startsWith("item | price\n");
            assertThat(c.tokens()).isLessThanOrEqualTo(30);
        });
        assertThat(String.join("\n", parts.stream().map(KbChunk.New::text).toList()).replace("item | price\n", ""))
                .isEqualTo(String.join("\n", rows.subList(1, rows.size())));
    }

    @Test
    void a_sentence_longer_than_a_chunk_is_cut_between_tokens_and_cjk_counts_per_character() {
        Chunker chunker = new Chunker(new KnowledgeBase.Chunking(10, 0));

        List<KbChunk.New> chunks = chunker.chunks(List.of(Block.paragraph("你好世界".repeat(6))));

        assertThat(chunks).extracting(KbChunk.New::text).containsExactly("你好世界你好世界你好", "世界你好世界你好世界",
                "你好世界");
    }
}
