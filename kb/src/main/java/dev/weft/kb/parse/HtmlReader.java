package dev.weft.kb.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;

/**
 * HTML with jsoup: headings, paragraphs, list items, code and tables (a row per line) in reading order; scripts,
 * styles, navigation and forms are left out. Text outside those elements is kept as paragraphs of its own.
 */
final class HtmlReader {

    private static final Set<String> SKIP = Set.of("script", "style", "noscript", "nav", "form", "template", "svg",
            "head", "iframe", "button", "select");
    private static final Set<String> BLOCKS = Set.of("p", "li", "dd", "dt", "blockquote", "figcaption", "caption",
            "address", "summary");

    private HtmlReader() {}

    static List<Block> read(String html, ParseLimits limits) throws ParseException {
        limits.checkChars(html.length());
        Document doc = Jsoup.parse(html);
        List<Block> blocks = new ArrayList<>();
        String title = doc.title();
        Element body = doc.body();
        if (!title.isBlank() && body.selectFirst("h1") == null) blocks.add(Block.heading(Texts.squeeze(title)));
        StringBuilder loose = new StringBuilder();
        walk(body, blocks, loose);
        flush(loose, blocks);
        return blocks;
    }

    private static void walk(Element element, List<Block> blocks, StringBuilder loose) {
        for (Node child : element.childNodes()) {
            if (child instanceof TextNode text) {
                loose.append(text.text()).append(' ');
                continue;
            }
            if (!(child instanceof Element e)) continue;
            String tag = e.normalName();
            if (SKIP.contains(tag)) continue;
            if (tag.matches("h[1-6]")) {
                flush(loose, blocks);
                add(blocks, Block.Kind.HEADING, e.text());
            } else if (tag.equals("table")) {
                flush(loose, blocks);
                add(blocks, Block.Kind.TABLE, table(e));
            } else if (tag.equals("pre")) {
                flush(loose, blocks);
                add(blocks, Block.Kind.CODE, e.wholeText().strip());
            } else if (BLOCKS.contains(tag) && e.selectFirst("table, pre, h1, h2, h3, h4, h5, h6") == null) {
                flush(loose, blocks);
                add(blocks, Block.Kind.PARAGRAPH, e.text());
            } else if (tag.equals("br")) {
                loose.append('\n');
            } else if (e.isBlock()) {
                flush(loose, blocks);
                walk(e, blocks, loose);
                flush(loose, blocks);
            } else {
                loose.append(e.text()).append(' ');
            }
        }
    }

    private static String table(Element table) {
        StringBuilder rows = new StringBuilder();
        for (Element row : table.select("tr")) {
            if (row.closest("table") != table) continue;   // a nested table's rows are in its own cell's text
            List<String> cells = row.select("> th, > td").eachText();
            if (cells.isEmpty()) continue;
            if (!rows.isEmpty()) rows.append('\n');
            rows.append(String.join(" | ", cells));
        }
        return rows.toString();
    }

    private static void flush(StringBuilder loose, List<Block> blocks) {
        add(blocks, Block.Kind.PARAGRAPH, loose.toString());
        loose.setLength(0);
    }

    private static void add(List<Block> blocks, Block.Kind kind, String text) {
        String clean = kind == Block.Kind.PARAGRAPH || kind == Block.Kind.HEADING ? Texts.squeeze(text) : text.strip();
        if (!clean.isEmpty()) blocks.add(new Block(kind, clean, null));
    }
}
