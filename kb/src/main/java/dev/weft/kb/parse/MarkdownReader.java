package dev.weft.kb.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * Markdown and plain text, line by line: blank lines end paragraphs; in Markdown also {@code #} headings, fenced
 * code and {@code |} tables (the separator row left out). Plain text is paragraphs only.
 */
final class MarkdownReader {

    private MarkdownReader() {}

    static List<Block> read(String text, boolean markdown, ParseLimits limits) throws ParseException {
        limits.checkChars(text.length());
        List<Block> blocks = new ArrayList<>();
        StringBuilder paragraph = new StringBuilder();
        StringBuilder table = new StringBuilder();
        StringBuilder code = null;
        for (String line : text.split("\\r?\\n|\\r", -1)) {
            String trimmed = line.strip();
            if (markdown && trimmed.startsWith("```")) {
                if (code == null) {
                    end(paragraph, table, blocks);
                    code = new StringBuilder();
                } else {
                    add(blocks, Block.Kind.CODE, code.toString());
                    code = null;
                }
                continue;
            }
            if (code != null) {
                code.append(line).append('\n');
                continue;
            }
            if (markdown && trimmed.matches("#{1,6}\\s+.*")) {
                end(paragraph, table, blocks);
                add(blocks, Block.Kind.HEADING, trimmed.replaceFirst("^#{1,6}\\s+", "").replaceFirst("\\s+#+$", ""));
            } else if (markdown && trimmed.startsWith("|")) {
                add(blocks, Block.Kind.PARAGRAPH, paragraph.toString());
                paragraph.setLength(0);
                if (trimmed.matches("\\|?[\\s:|-]+\\|?") && trimmed.contains("-")) continue;   // | --- | --- |
                String row = trimmed.replaceAll("^\\|", "").replaceAll("\\|$", "");
                if (!table.isEmpty()) table.append('\n');
                table.append(String.join(" | ", java.util.Arrays.stream(row.split("\\|")).map(String::strip).toList()));
            } else if (trimmed.isEmpty()) {
                end(paragraph, table, blocks);
            } else {
                add(blocks, Block.Kind.TABLE, table.toString());
                table.setLength(0);
                paragraph.append(trimmed).append(' ');
            }
        }
        if (code != null) add(blocks, Block.Kind.CODE, code.toString());
        end(paragraph, table, blocks);
        return blocks;
    }

    private static void end(StringBuilder paragraph, StringBuilder table, List<Block> blocks) {
        add(blocks, Block.Kind.PARAGRAPH, paragraph.toString());
        add(blocks, Block.Kind.TABLE, table.toString());
        paragraph.setLength(0);
        table.setLength(0);
    }

    private static void add(List<Block> blocks, Block.Kind kind, String text) {
        String clean = kind == Block.Kind.CODE || kind == Block.Kind.TABLE ? text.strip() : Texts.squeeze(text);
        if (!clean.isEmpty()) blocks.add(new Block(kind, clean, null));
    }
}
