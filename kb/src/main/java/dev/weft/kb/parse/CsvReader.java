package dev.weft.kb.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * CSV (RFC 4180: quoted fields, doubled quotes, commas or semicolons) as one table block: a row per line, cells
 * joined by {@code " | "}, the first row its header, which chunking repeats in every piece of a split table.
 */
final class CsvReader {

    private CsvReader() {}

    static List<Block> read(String text, ParseLimits limits) throws ParseException {
        limits.checkChars(text.length());
        char separator = separator(text);
        StringBuilder table = new StringBuilder();
        List<String> row = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == separator) {
                row.add(Texts.squeeze(cell.toString()));
                cell.setLength(0);
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') i++;
                endRow(row, cell, table);
            } else {
                cell.append(c);
            }
        }
        if (quoted) throw new ParseException("the CSV has a quoted field that never ends");
        endRow(row, cell, table);
        return table.isEmpty() ? List.of() : List.of(new Block(Block.Kind.TABLE, table.toString(), null));
    }

    private static void endRow(List<String> row, StringBuilder cell, StringBuilder table) {
        row.add(Texts.squeeze(cell.toString()));
        cell.setLength(0);
        if (row.stream().anyMatch(s -> !s.isEmpty())) {
            if (!table.isEmpty()) table.append('\n');
            table.append(String.join(" | ", row));
        }
        row.clear();
    }

    /** A semicolon when the first line has more of them than commas (European spreadsheets). */
    private static char separator(String text) {
        int end = text.indexOf('\n');
        String first = end < 0 ? text : text.substring(0, end);
        return first.chars().filter(c -> c == ';').count() > first.chars().filter(c -> c == ',').count() ? ';' : ',';
    }
}
