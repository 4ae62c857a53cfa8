package dev.weft.kb.parse;

/**
 * One structural piece of a parsed document, in reading order: a heading, a paragraph, a table (rows on lines,
 * cells separated by {@code " | "}, the first row its header) or a code block. {@code page} is the PDF page
 * (1-based) or null.
 */
public record Block(Kind kind, String text, Integer page) {

    /** What a block is, which decides how chunking may cut it. */
    public enum Kind { HEADING, PARAGRAPH, TABLE, CODE }

    public static Block heading(String text) {
        return new Block(Kind.HEADING, text, null);
    }

    public static Block paragraph(String text) {
        return new Block(Kind.PARAGRAPH, text, null);
    }
}
