package dev.weft.kb.parse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * DOCX without a library: the zip's {@code word/document.xml} read with the JDK's StAX parser (no DTDs, no external
 * entities). Paragraphs styled {@code Title} or {@code Heading n} are headings; tables become table blocks. The
 * entry is inflated into a bounded buffer, so a zip bomb stops at {@link ParseLimits#maxInflatedBytes()}.
 */
final class DocxReader {

    private static final String W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    private static final int ENTRIES_MAX = 10_000;

    private DocxReader() {}

    static List<Block> read(byte[] bytes, ParseLimits limits) throws ParseException {
        byte[] xml = documentXml(bytes, limits);
        try {
            return blocks(xml, limits);
        } catch (XMLStreamException e) {
            throw new ParseException("the DOCX is corrupt: its document.xml is not well-formed XML", e);
        }
    }

    private static byte[] documentXml(byte[] bytes, ParseLimits limits) throws ParseException {
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
            int entries = 0;
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                if (++entries > ENTRIES_MAX) throw new ParseException("the DOCX has more than " + ENTRIES_MAX + " entries");
                if (!entry.getName().equals("word/document.xml")) continue;
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                byte[] buffer = new byte[64 * 1024];
                long total = 0;
                for (int n; (n = zip.read(buffer)) > 0; ) {
                    total += n;
                    if (total > limits.maxInflatedBytes()) {
                        throw new ParseException("the DOCX inflates past " + limits.maxInflatedBytes()
                                + " bytes (a zip bomb?)");
                    }
                    out.write(buffer, 0, n);
                }
                return out.toByteArray();
            }
        } catch (IOException e) {
            throw new ParseException("the DOCX is corrupt: " + e.getMessage(), e);
        }
        throw new ParseException("the zip has no word/document.xml: it is not a DOCX");
    }

    private static List<Block> blocks(byte[] xml, ParseLimits limits) throws XMLStreamException, ParseException {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        XMLStreamReader in = factory.createXMLStreamReader(new ByteArrayInputStream(xml));
        List<Block> blocks = new ArrayList<>();
        StringBuilder paragraph = new StringBuilder();
        StringBuilder table = null;
        List<String> row = null;
        StringBuilder cell = null;
        int tableDepth = 0;
        boolean heading = false;
        long chars = 0;
        while (in.hasNext()) {
            int event = in.next();
            if (event == XMLStreamConstants.START_ELEMENT && W.equals(in.getNamespaceURI())) {
                switch (in.getLocalName()) {
                    case "tbl" -> {
                        if (tableDepth++ == 0) table = new StringBuilder();
                    }
                    case "tr" -> {
                        if (tableDepth == 1) row = new ArrayList<>();
                    }
                    case "tc" -> {
                        if (tableDepth == 1) cell = new StringBuilder();
                    }
                    case "p" -> {
                        paragraph.setLength(0);
                        heading = false;
                    }
                    case "pStyle" -> {
                        String style = in.getAttributeValue(W, "val");
                        heading = style != null && (style.startsWith("Heading") || style.equals("Title"));
                    }
                    case "t" -> {
                        String text = in.getElementText();
                        chars += text.length();
                        limits.checkChars(chars);
                        paragraph.append(text);
                    }
                    case "tab" -> paragraph.append('\t');
                    case "br", "cr" -> paragraph.append('\n');
                    default -> { }
                }
            } else if (event == XMLStreamConstants.END_ELEMENT && W.equals(in.getNamespaceURI())) {
                switch (in.getLocalName()) {
                    case "p" -> {
                        String text = Texts.squeeze(paragraph.toString());
                        if (cell != null) {
                            if (!text.isEmpty()) cell.append(cell.isEmpty() ? "" : " ").append(text);
                        } else if (!text.isEmpty()) {
                            blocks.add(new Block(heading ? Block.Kind.HEADING : Block.Kind.PARAGRAPH, text, null));
                        }
                        paragraph.setLength(0);
                    }
                    case "tc" -> {
                        if (tableDepth == 1 && row != null && cell != null) row.add(cell.toString());
                        if (tableDepth == 1) cell = null;
                    }
                    case "tr" -> {
                        if (tableDepth == 1 && row != null && row.stream().anyMatch(c -> !c.isEmpty())) {
                            if (!table.isEmpty()) table.append('\n');
                            table.append(String.join(" | ", row));
                        }
                    }
                    case "tbl" -> {
                        if (--tableDepth == 0) {
                            if (!table.isEmpty()) blocks.add(new Block(Block.Kind.TABLE, table.toString(), null));
                            table = null;
                        }
                    }
                    default -> { }
                }
            }
        }
        return blocks;
    }
}
