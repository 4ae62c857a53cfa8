package dev.weft.kb.parse;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts tokens the way chunk sizes are meant: a word or number is one, a punctuation mark is one, and each
 * character of a script written without spaces (Chinese, Japanese, Thai, ...) is one. Close to what a WordPiece or
 * BPE tokenizer counts for English, and never a large undercount for other scripts; cheap and deterministic.
 */
public final class Tokens {

    static final Pattern TOKEN = Pattern.compile(
            "[\\p{IsHan}\\p{IsHiragana}\\p{IsKatakana}\\p{IsThai}\\p{IsLao}\\p{IsKhmer}\\p{IsMyanmar}]"
            + "|[\\p{L}\\p{M}\\p{N}_]+|[^\\s\\p{L}\\p{M}\\p{N}_]");

    private Tokens() {}

    public static int count(String text) {
        Matcher m = TOKEN.matcher(text);
        int n = 0;
        while (m.find()) n++;
        return n;
    }

    /** The character offset in {@code text} where its token number {@code tokens} starts (its length if fewer). */
    static int offsetOf(String text, int tokens) {
        Matcher m = TOKEN.matcher(text);
        int n = 0;
        while (m.find()) {
            if (n++ == tokens) return m.start();
        }
        return text.length();
    }
}
