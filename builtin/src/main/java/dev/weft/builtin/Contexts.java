package dev.weft.builtin;

import java.util.List;

/**
 * Joins passages into the context of a prompt: each as {@code [n] source} on its own line then its text, separated
 * by a blank line, best first, stopping before the passage that would pass the token budget (the first one is cut
 * to fit instead, so a small budget still gives something).
 */
final class Contexts {

    /** Characters per token, as the usual rough rule for English text counts them. */
    static final int CHARS_PER_TOKEN = 4;

    private Contexts() {}

    static String join(List<Knowledge.Passage> passages, int tokens) {
        long budget = (long) tokens * CHARS_PER_TOKEN;
        StringBuilder out = new StringBuilder();
        int n = 0;
        for (Knowledge.Passage p : passages) {
            String block = "[" + (n + 1) + "] " + label(p) + "\n" + p.text();
            String sep = n == 0 ? "" : "\n\n";
            if (out.length() + sep.length() + block.length() > budget) {
                if (n == 0) out.append(block, 0, (int) Math.min(block.length(), budget));
                break;
            }
            out.append(sep).append(block);
            n++;
        }
        return out.toString();
    }

    /** A passage's source as a person cites it: {@code guide.md, p. 3, "Refunds"}. */
    static String label(Knowledge.Passage p) {
        StringBuilder label = new StringBuilder(p.document());
        if (p.page() != null) label.append(", p. ").append(p.page());
        if (p.section() != null && !p.section().isBlank()) label.append(", \"").append(p.section()).append('"');
        return label.toString();
    }
}
