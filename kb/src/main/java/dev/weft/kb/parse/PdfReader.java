package dev.weft.kb.parse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.text.PDFTextStripper;

/** PDF text with PDFBox, page by page: paragraphs are the stripper's blank-line-separated runs. */
final class PdfReader {

    private PdfReader() {}

    static List<Block> read(byte[] bytes, ParseLimits limits) throws ParseException {
        try (PDDocument pdf = Loader.loadPDF(new RandomAccessReadBuffer(bytes))) {
            if (pdf.isEncrypted() && !pdf.getCurrentAccessPermission().canExtractContent()) {
                throw new ParseException("the PDF is encrypted and forbids extracting its text");
            }
            int pages = pdf.getNumberOfPages();
            if (pages > limits.maxPages()) {
                throw new ParseException("the PDF has " + pages + " pages, over the limit of " + limits.maxPages());
            }
            PDFTextStripper stripper = new PDFTextStripper();
            stripper.setSortByPosition(true);
            stripper.setParagraphStart("\n\n");
            List<Block> blocks = new ArrayList<>();
            long chars = 0;
            for (int page = 1; page <= pages; page++) {
                stripper.setStartPage(page);
                stripper.setEndPage(page);
                String text = stripper.getText(pdf);
                chars += text.length();
                limits.checkChars(chars);
                for (String paragraph : text.split("\\n\\s*\\n")) {
                    String squeezed = Texts.squeeze(paragraph);
                    if (!squeezed.isEmpty()) blocks.add(new Block(Block.Kind.PARAGRAPH, squeezed, page));
                }
            }
            return blocks;
        } catch (InvalidPasswordException e) {
            throw new ParseException("the PDF is encrypted with a password");
        } catch (IOException e) {
            throw new ParseException("the PDF is corrupt: " + e.getMessage(), e);
        }
    }
}
