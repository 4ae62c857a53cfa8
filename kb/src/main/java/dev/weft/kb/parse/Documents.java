package dev.weft.kb.parse;

import java.util.List;

/**
 * Reads a document into {@link Block}s: the one entry to parsing. Every way a document can be bad (empty, too
 * large, encrypted, corrupt, of an unknown format, expanding past the limits) ends in a {@link ParseException}
 * whose message says why, never in another exception.
 */
public final class Documents {

    private final ParseLimits limits;

    public Documents(ParseLimits limits) {
        this.limits = limits;
    }

    /** What a parse found: the format recognised and the blocks in reading order. */
    public record Parsed(Format format, List<Block> blocks) {}

    public Parsed parse(byte[] bytes, String mediaType, String name) throws ParseException {
        if (bytes.length == 0) throw new ParseException("the document is empty");
        if (bytes.length > limits.maxBytes()) {
            throw new ParseException("the document has " + bytes.length + " bytes, over the limit of "
                    + limits.maxBytes());
        }
        Format format = Format.detect(bytes, mediaType, name);
        List<Block> blocks;
        try {
            blocks = switch (format) {
                case PDF -> PdfReader.read(bytes, limits);
                case DOCX -> DocxReader.read(bytes, limits);
                case HTML -> HtmlReader.read(Texts.decode(bytes), limits);
                case MARKDOWN -> MarkdownReader.read(Texts.decode(bytes), true, limits);
                case TEXT -> MarkdownReader.read(Texts.decode(bytes), false, limits);
                case CSV -> CsvReader.read(Texts.decode(bytes), limits);
            };
        } catch (ParseException e) {
            throw e;
        } catch (StackOverflowError | OutOfMemoryError e) {
            throw new ParseException("the " + format.name() + " document is too deeply nested or too large to read");
        } catch (RuntimeException e) {
            throw new ParseException("the " + format.name() + " document is corrupt: " + e, e);
        }
        if (blocks.stream().allMatch(b -> b.text().isBlank())) {
            throw new ParseException(format == Format.PDF ? "the PDF has no text (scanned pages need OCR, which "
                    + "Weft does not do)" : "the document has no text");
        }
        return new Parsed(format, blocks);
    }
}
