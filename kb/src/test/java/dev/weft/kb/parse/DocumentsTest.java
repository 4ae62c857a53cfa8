package dev.weft.kb.parse;

import static dev.weft.kb.parse.Fixtures.heading;
import static dev.weft.kb.parse.Fixtures.p;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DocumentsTest {

    final Documents documents = new Documents(ParseLimits.DEFAULT);

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void a_pdf_gives_its_text_page_by_page() throws Exception {
        byte[] pdf = Fixtures.pdf(List.of(List.of("Refunds take five days."), List.of("Shipping is free over 50 EUR.")), null);

        Documents.Parsed parsed = documents.parse(pdf, "application/pdf", "policy.pdf");

        assertThat(parsed.format()).isEqualTo(Format.PDF);
        assertThat(parsed.blocks()).containsExactly(new Block(Block.Kind.PARAGRAPH, "Refunds take five days.", 1),
                new Block(Block.Kind.PARAGRAPH, "Shipping is free over 50 EUR.", 2));
    }

    @Test
    void a_docx_gives_headings_paragraphs_and_tables() throws Exception {
        byte[] docx = Fixtures.docx(heading("Returns") + p("Keep the receipt.")
                + "<w:tbl><w:tr><w:tc>" + p("Item") + "</w:tc><w:tc>" + p("Days") + "</w:tc></w:tr>"
                + "<w:tr><w:tc>" + p("Shoes") + "</w:tc><w:tc>" + p("30") + "</w:tc></w:tr></w:tbl>");

        assertThat(documents.parse(docx, null, "r.docx").blocks()).containsExactly(Block.heading("Returns"),
                Block.paragraph("Keep the receipt."), new Block(Block.Kind.TABLE, "Item | Days\nShoes | 30", null));
    }

    @Test
    void html_keeps_structure_and_drops_scripts_and_navigation() throws Exception {
        String html = "<html><head><title>T</title><script>var x = 1;</script></head><body><nav>Home | About</nav>"
                + "<h1>Guide</h1><p>First <b>bold</b> step.</p><ul><li>one</li><li>two</li></ul>"
                + "<table><tr><th>k</th><th>v</th></tr><tr><td>a</td><td>1</td></tr></table><div>loose text</div></body></html>";

        assertThat(documents.parse(utf8(html), "text/html", null).blocks()).containsExactly(Block.heading("Guide"),
                Block.paragraph("First bold step."), Block.paragraph("one"), Block.paragraph("two"),
                new Block(Block.Kind.TABLE, "k | v\na | 1", null), Block.paragraph("loose text"));
    }

    @Test
    void markdown_gives_headings_paragraphs_tables_and_code() throws Exception {
        String md = "# Title\n\nLine one\nline two.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```\ncode here\n```\n";

        assertThat(documents.parse(utf8(md), null, "README.md").blocks()).containsExactly(Block.heading("Title"),
                Block.paragraph("Line one line two."), new Block(Block.Kind.TABLE, "a | b\n1 | 2", null),
                new Block(Block.Kind.CODE, "code here", null));
    }

    @Test
    void csv_is_one_table_with_quoted_fields() throws Exception {
        String csv = "name,city\n\"Smith, J\",Paris\n\"say \"\"hi\"\"\",Oslo\n";

        assertThat(documents.parse(utf8(csv), "text/csv", "p.csv").blocks())
                .containsExactly(new Block(Block.Kind.TABLE, "name | city\nSmith, J | Paris\nsay \"hi\" | Oslo", null));
    }

    @Test
    void text_in_any_script_is_read_as_utf8() throws Exception {
        String text = "Привет мир.\n\n你好世界。\n\nمرحبا بالعالم";

        assertThat(documents.parse(utf8(text), "text/plain", "x.txt").blocks()).extracting(Block::text)
                .containsExactly("Привет мир.", "你好世界。", "مرحبا بالعالم");
    }

    @Test
    void bad_documents_fail_with_a_reason() throws Exception {
        assertThatThrownBy(() -> documents.parse(new byte[0], "text/plain", "e.txt"))
                .isInstanceOf(ParseException.class).hasMessage("the document is empty");
        assertThatThrownBy(() -> documents.parse(Fixtures.pdf(List.of(List.of("secret")), "pw"), null, "s.pdf"))
                .isInstanceOf(ParseException.class).hasMessageContaining("encrypted");
        byte[] pdf = Fixtures.pdf(List.of(List.of("x")), null);
        assertThatThrownBy(() -> documents.parse(Arrays.copyOf(pdf, pdf.length / 3), null, "cut.pdf"))
                .isInstanceOf(ParseException.class).hasMessageContaining("PDF");
        assertThatThrownBy(() -> documents.parse(new byte[] {0x7f, 'E', 'L', 'F', 0, 0, 1}, "application/x-elf", "a.out"))
                .isInstanceOf(ParseException.class).hasMessageContaining("unknown format (application/x-elf)");
        assertThatThrownBy(() -> documents.parse(utf8("   \n\n  "), "text/plain", "blank.txt"))
                .isInstanceOf(ParseException.class).hasMessage("the document has no text");
        assertThatThrownBy(() -> documents.parse(Fixtures.zip("data.bin", new byte[10]), "application/zip", "a.zip"))
                .isInstanceOf(ParseException.class).hasMessageContaining("not a DOCX");
        assertThatThrownBy(() -> documents.parse(Fixtures.docx("<w:p><w:r><w:t>open"), null, "broken.docx"))
                .isInstanceOf(ParseException.class).hasMessageContaining("not well-formed");
        byte[] ole = {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1, 0, 0};
        assertThatThrownBy(() -> documents.parse(ole, null, "locked.docx"))
                .isInstanceOf(ParseException.class).hasMessageContaining("encrypted Office document");
    }

    @Test
    void a_zip_bomb_and_oversized_documents_stop_at_the_limits() throws Exception {
        Documents small = new Documents(new ParseLimits(100_000, 5_000, 2, 1_000_000));
        byte[] bomb = Fixtures.docx(p(" ".repeat(3_000_000)));   // a few kB that inflate to 3 MB
        assertThat(bomb.length).isLessThan(20_000);

        assertThatThrownBy(() -> small.parse(bomb, null, "bomb.docx"))
                .isInstanceOf(ParseException.class).hasMessageContaining("zip bomb");
        assertThatThrownBy(() -> small.parse(new byte[100_001], "text/plain", "big.txt"))
                .isInstanceOf(ParseException.class).hasMessageContaining("over the limit of 100000");
        assertThatThrownBy(() -> small.parse(Fixtures.pdf(List.of(List.of("1"), List.of("2"), List.of("3")), null), null, "p.pdf"))
                .isInstanceOf(ParseException.class).hasMessageContaining("3 pages, over the limit of 2");
        assertThatThrownBy(() -> small.parse(utf8("word ".repeat(2_000)), "text/plain", "long.txt"))
                .isInstanceOf(ParseException.class).hasMessageContaining("5000 characters");
    }
}
