package dev.weft.kb.parse;

import dev.weft.store.kb.KbChunk;
import dev.weft.store.kb.KnowledgeBase;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Cuts parsed blocks into chunks of at most {@code tokens} tokens. A heading always starts a new chunk (and names
 * the section of the chunks under it); paragraphs are packed whole while they fit; a paragraph too long for one chunk
 * is cut between sentences, a sentence too long between tokens. A table goes whole into a chunk of its own when it
 * fits, else in runs of rows that each repeat its header row. When a chunk is full, the next one begins with the
 * previous one's last sentences, up to {@code overlap} tokens (never across a heading, never inside a table).
 * Offsets are character offsets in the document's text: its blocks joined by blank lines.
 */
public final class Chunker {

    private final int max;
    private final int overlap;

    public Chunker(KnowledgeBase.Chunking chunking) {
        if (chunking.tokens() < 8) throw new IllegalArgumentException("chunks need at least 8 tokens");
        if (chunking.overlap() >= chunking.tokens() / 2) {
            throw new IllegalArgumentException("the overlap must be less than half the chunk size");
        }
        this.max = chunking.tokens();
        this.overlap = chunking.overlap();
    }

    /** A run of text with its offsets, its page and its token count: what chunks are packed from. */
    private record Piece(String text, int start, int end, Integer page, int tokens) {}

    public List<KbChunk.New> chunks(List<Block> blocks) {
        Packer packer = new Packer();
        int offset = 0;
        for (Block block : blocks) {
            int start = offset;
            offset += block.text().length() + 2;
            switch (block.kind()) {
                case HEADING -> packer.heading(new Piece(block.text(), start, start + block.text().length(),
                        block.page(), Tokens.count(block.text())));
                case TABLE -> table(block, start, packer);
                case PARAGRAPH, CODE -> {
                    Piece whole = new Piece(block.text(), start, start + block.text().length(), block.page(),
                            Tokens.count(block.text()));
                    if (whole.tokens() <= max) packer.add(whole);
                    else for (Piece sentence : sentences(whole)) packer.add(sentence);
                }
            }
        }
        packer.flush(false);
        return packer.chunks;
    }

    private void table(Block block, int start, Packer packer) {
        int tokens = Tokens.count(block.text());
        if (tokens <= max) {
            packer.whole(new Piece(block.text(), start, start + block.text().length(), block.page(), tokens));
            return;
        }
        String[] rows = block.text().split("\n");
        String header = rows[0];
        int headerTokens = Tokens.count(header);
        StringBuilder run = new StringBuilder(header);
        int runTokens = headerTokens;
        int runStart = start;
        int at = start + header.length() + 1;
        for (int i = 1; i < rows.length; i++) {
            int rowTokens = Tokens.count(rows[i]);
            if (runTokens + rowTokens > max && runTokens > headerTokens) {
                packer.whole(new Piece(run.toString(), runStart, at - 1, block.page(), runTokens));
                run.setLength(0);
                run.append(header);
                runTokens = headerTokens;
                runStart = at;
            }
            run.append('\n').append(rows[i]);
            runTokens += rowTokens;
            at += rows[i].length() + 1;
        }
        Piece last = new Piece(run.toString(), runStart, start + block.text().length(), block.page(), runTokens);
        if (last.tokens() <= max) packer.whole(last);
        else for (Piece part : sentences(last)) packer.whole(part);
    }

    /** The piece cut between sentences; a sentence longer than a chunk is cut between tokens. */
    private List<Piece> sentences(Piece piece) {
        List<Piece> out = new ArrayList<>();
        BreakIterator it = BreakIterator.getSentenceInstance(Locale.ROOT);
        it.setText(piece.text());
        for (int s = it.first(), e = it.next(); e != BreakIterator.DONE; s = e, e = it.next()) {
            String text = piece.text().substring(s, e);
            int tokens = Tokens.count(text);
            if (tokens <= max) {
                out.add(new Piece(text.strip(), piece.start() + s, piece.start() + e, piece.page(), tokens));
                continue;
            }
            int from = 0;
            while (from < text.length()) {
                int to = from + Tokens.offsetOf(text.substring(from), max);
                if (to <= from) to = text.length();
                String part = text.substring(from, to);
                out.add(new Piece(part.strip(), piece.start() + s + from, piece.start() + s + to, piece.page(),
                        Tokens.count(part)));
                from = to;
            }
        }
        out.removeIf(p -> p.text().isEmpty());
        return out;
    }

    /** Packs pieces into chunks, section by section. */
    private final class Packer {
        final List<KbChunk.New> chunks = new ArrayList<>();
        final List<Piece> current = new ArrayList<>();
        int tokens;
        String section;

        void heading(Piece heading) {
            flush(false);
            section = heading.text();
            add(heading);
        }

        void add(Piece piece) {
            if (tokens + piece.tokens() > max && headingOnly()) {
                List<Piece> parts = sentences(piece);
                if (parts.size() > 1) {   // keep the heading with the start of its text rather than alone
                    for (Piece part : parts) add(part);
                    return;
                }
            }
            if (tokens + piece.tokens() > max && !current.isEmpty()) {
                flush(true);
                if (tokens + piece.tokens() > max) {   // the carried sentences and this piece do not fit together
                    current.clear();
                    tokens = 0;
                }
            }
            current.add(piece);
            tokens += piece.tokens();
        }

        private boolean headingOnly() {
            return current.size() == 1 && section != null && current.get(0).text().equals(section);
        }

        /** A table (or a run of its rows): in a chunk of its own, after the heading that leads it if it fits. */
        void whole(Piece table) {
            if (!(headingOnly() && tokens + table.tokens() <= max)) flush(false);
            current.add(table);
            tokens += table.tokens();
            flush(false);
        }

        /** Ends the chunk being packed; with {@code carry}, the next one starts with its last sentences. */
        void flush(boolean carry) {
            if (current.isEmpty()) return;
            StringBuilder text = new StringBuilder();
            for (Piece p : current) text.append(text.isEmpty() ? "" : "\n\n").append(p.text());
            Piece first = current.get(0);
            Piece last = current.get(current.size() - 1);
            chunks.add(new KbChunk.New(chunks.size(), text.toString(),
                    new KbChunk.Source(first.page(), section, first.start(), last.end()), tokens, Map.of()));
            List<Piece> carried = carry && overlap > 0 ? tail(last) : List.of();
            current.clear();
            tokens = 0;
            for (Piece p : carried) {
                current.add(p);
                tokens += p.tokens();
            }
        }

        /** The last sentences of {@code piece} that fit in the overlap. */
        private List<Piece> tail(Piece piece) {
            List<Piece> sentences = piece.tokens() <= overlap ? List.of(piece) : sentences(piece);
            List<Piece> tail = new ArrayList<>();
            int sum = 0;
            for (int i = sentences.size() - 1; i >= 0; i--) {
                Piece s = sentences.get(i);
                if (sum + s.tokens() > overlap) break;
                tail.add(0, s);
                sum += s.tokens();
            }
            return tail;
        }
    }
}
