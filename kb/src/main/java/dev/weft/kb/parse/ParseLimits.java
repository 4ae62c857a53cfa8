package dev.weft.kb.parse;

/**
 * What a document may cost to parse: its size, the text it may expand to (a zip bomb or a PDF of a million pages
 * stops here), its pages, and the bytes one entry of a DOCX may inflate to.
 */
public record ParseLimits(long maxBytes, int maxChars, int maxPages, long maxInflatedBytes) {

    public static final ParseLimits DEFAULT = new ParseLimits(50L << 20, 20_000_000, 2_000, 200L << 20);

    /** Throws when {@code chars} characters of text pass the limit. */
    void checkChars(long chars) throws ParseException {
        if (chars > maxChars) {
            throw new ParseException("the document's text passes the limit of " + maxChars + " characters");
        }
    }
}
