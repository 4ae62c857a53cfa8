import java.io.*;
import java.nio.file.*;
import org.apache.pdfbox.pdmodel.*;
import org.apache.pdfbox.pdmodel.font.*;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.Loader;

public class LightProbe {
  public static void main(String[] a) throws Exception {
    Path pdf = Path.of("/tmp/weft-parse-probe.pdf");
    if (!Files.exists(pdf)) try (PDDocument d = new PDDocument()) {
      PDType1Font f = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
      for (int p = 0; p < 100; p++) { PDPage page = new PDPage(); d.addPage(page);
        try (PDPageContentStream cs = new PDPageContentStream(d, page)) { cs.beginText(); cs.setFont(f, 10); cs.newLineAtOffset(40, 750);
          for (int l = 0; l < 50; l++) { cs.showText("Page " + p + " line " + l + " the quick brown fox jumps over the lazy dog near the river bank."); cs.newLineAtOffset(0, -14);} cs.endText(); } }
      d.save(pdf.toFile()); }
    StringBuilder html = new StringBuilder("<html><body>");
    for (int i = 0; i < 2000; i++) html.append("<h2>Section ").append(i).append("</h2><p>The quick brown fox jumps over the lazy dog. Paragraph ").append(i).append(" says more about foxes.</p>");
    byte[] htmlBytes = html.append("</body></html>").toString().getBytes("UTF-8");
    byte[] pdfBytes = Files.readAllBytes(pdf);
    boolean tika = a.length > 0 && a[0].equals("tika");
    for (int round = 0; round < 6; round++) {
      long t0 = System.nanoTime(); int n = 0;
      {
        try (PDDocument d = Loader.loadPDF(pdfBytes)) { n = new PDFTextStripper().getText(d).length(); }
      }
      long t1 = System.nanoTime(); int m;
      { m = org.jsoup.Jsoup.parse(new String(htmlBytes, "UTF-8")).body().text().length(); }
      long t2 = System.nanoTime();
      System.out.printf("%s round %d: pdf 100 pages %d chars %.1f ms; html %d kB %d chars %.1f ms%n", tika ? "tika" : "light", round, n, (t1-t0)/1e6, htmlBytes.length/1024, m, (t2-t1)/1e6);
    }
  }
}
