import dev.weft.store.kb.KnowledgeBase;
import dev.weft.kb.parse.Chunker;
import dev.weft.kb.parse.Documents;
import dev.weft.kb.parse.ParseLimits;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * Parse + chunk speed per format (issue 12): the same ~200 kB of English prose as PDF (100 pages), DOCX, HTML,
 * Markdown, CSV and plain text, each parsed and chunked (256 tokens, 32 overlap) 12 times in one JVM; prints the
 * median and best of the last 8 rounds. Run by bench/kb/kb.sh parse.
 */
public class ParseSpeed {

    static final String SENTENCE = "The support desk answers questions about refunds, shipping and returns within one working day. ";

    public static void main(String[] args) throws Exception {
        Map<String, byte[]> docs = new LinkedHashMap<>();
        docs.put("pdf", pdf());
        StringBuilder md = new StringBuilder(), html = new StringBuilder("<html><body>"), csv = new StringBuilder("id,topic,text\n"),
                txt = new StringBuilder(), body = new StringBuilder();
        for (int s = 0; s < 100; s++) {
            String para = SENTENCE.repeat(20).strip();
            md.append("## Section ").append(s).append("\n\n").append(para).append("\n\n");
            html.append("<h2>Section ").append(s).append("</h2><p>").append(para).append("</p>");
            csv.append(s).append(",section ").append(s).append(",\"").append(para).append("\"\n");
            txt.append(para).append("\n\n");
            body.append("<w:p><w:pPr><w:pStyle w:val=\"Heading2\"/></w:pPr><w:r><w:t>Section ").append(s)
                    .append("</w:t></w:r></w:p><w:p><w:r><w:t>").append(para).append("</w:t></w:r></w:p>");
        }
        docs.put("docx", docx(body.toString()));
        docs.put("html", html.append("</body></html>").toString().getBytes(StandardCharsets.UTF_8));
        docs.put("markdown", md.toString().getBytes(StandardCharsets.UTF_8));
        docs.put("csv", csv.toString().getBytes(StandardCharsets.UTF_8));
        docs.put("text", txt.toString().getBytes(StandardCharsets.UTF_8));
        Map<String, String> names = Map.of("pdf", "a.pdf", "docx", "a.docx", "html", "a.html", "markdown", "a.md",
                "csv", "a.csv", "text", "a.txt");
        Documents documents = new Documents(ParseLimits.DEFAULT);
        Chunker chunker = new Chunker(KnowledgeBase.Chunking.DEFAULT);
        System.out.println("| format | file bytes | text chars | chunks | median ms | best ms | text MB/s (median) |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (Map.Entry<String, byte[]> d : docs.entrySet()) {
            List<Double> times = new ArrayList<>();
            int chunks = 0;
            long chars = 0;
            for (int round = 0; round < 12; round++) {
                long t0 = System.nanoTime();
                var blocks = documents.parse(d.getValue(), null, names.get(d.getKey())).blocks();
                chunks = chunker.chunks(blocks).size();
                times.add((System.nanoTime() - t0) / 1e6);
                chars = blocks.stream().mapToLong(b -> b.text().length()).sum();
            }
            double[] last = times.subList(4, 12).stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double median = (last[3] + last[4]) / 2;
            System.out.printf("| %s | %d | %d | %d | %.1f | %.1f | %.2f |%n", d.getKey(), d.getValue().length, chars,
                    chunks, median, last[0], chars / 1e6 / (median / 1000));
        }
    }

    static byte[] pdf() throws Exception {
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            for (int p = 0; p < 100; p++) {
                PDPage page = new PDPage();
                doc.addPage(page);
                try (PDPageContentStream c = new PDPageContentStream(doc, page)) {
                    c.beginText();
                    c.setFont(font, 10);
                    c.newLineAtOffset(40, 750);
                    for (int l = 0; l < 20; l++) {
                        c.showText(SENTENCE.strip());
                        c.newLineAtOffset(0, -14);
                    }
                    c.endText();
                }
            }
            doc.save(out);
            return out.toByteArray();
        }
    }

    static byte[] docx(String body) throws Exception {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/"
                + "wordprocessingml/2006/main\"><w:body>" + body + "</w:body></w:document>";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("word/document.xml"));
            zip.write(xml.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }
}
