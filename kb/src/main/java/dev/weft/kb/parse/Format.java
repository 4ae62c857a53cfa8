package dev.weft.kb.parse;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The document formats a knowledge base reads, and how one is recognised: by its first bytes where the format has a
 * signature (PDF, the zip of a DOCX), else by its media type or file name; text that is not UTF-8 or has NUL bytes
 * is no format Weft reads.
 */
public enum Format {
    PDF("application/pdf"),
    DOCX("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    HTML("text/html"),
    MARKDOWN("text/markdown"),
    CSV("text/csv"),
    TEXT("text/plain");

    private final String mediaType;

    Format(String mediaType) {
        this.mediaType = mediaType;
    }

    public String mediaType() {
        return mediaType;
    }

    /** The format a file name's extension tells, if any. */
    public static java.util.Optional<Format> byName(String name) {
        String file = name == null ? "" : name.toLowerCase(Locale.ROOT);
        if (file.endsWith(".pdf")) return java.util.Optional.of(PDF);
        if (file.endsWith(".docx")) return java.util.Optional.of(DOCX);
        if (file.endsWith(".html") || file.endsWith(".htm")) return java.util.Optional.of(HTML);
        if (file.endsWith(".md") || file.endsWith(".markdown")) return java.util.Optional.of(MARKDOWN);
        if (file.endsWith(".csv")) return java.util.Optional.of(CSV);
        if (file.endsWith(".txt")) return java.util.Optional.of(TEXT);
        return java.util.Optional.empty();
    }

    /** The format of {@code bytes} named {@code name} and sent as {@code mediaType} (either may be null). */
    public static Format detect(byte[] bytes, String mediaType, String name) throws ParseException {
        String type = mediaType == null ? "" : mediaType.toLowerCase(Locale.ROOT).split(";")[0].trim();
        String file = name == null ? "" : name.toLowerCase(Locale.ROOT);
        if (startsWith(bytes, "%PDF-")) return PDF;
        if (startsWith(bytes, "PK\u0003\u0004")) {
            if (type.equals(DOCX.mediaType) || file.endsWith(".docx") || type.isEmpty()
                    || type.equals("application/octet-stream") || type.equals("application/zip")) return DOCX;
            throw new ParseException("a zip archive is not a format a knowledge base reads (PDF, DOCX, HTML, "
                    + "Markdown, CSV, plain text)");
        }
        if (bytes.length >= 8 && (bytes[0] & 0xff) == 0xD0 && (bytes[1] & 0xff) == 0xCF && (bytes[2] & 0xff) == 0x11) {
            throw new ParseException("an OLE2 file: an encrypted Office document or a legacy .doc/.xls, which a "
                    + "knowledge base does not read; save it as an unencrypted DOCX or PDF");
        }
        if (type.equals(PDF.mediaType) || file.endsWith(".pdf")) {
            throw new ParseException("the file is named or typed as PDF but does not start with %PDF-: it is corrupt");
        }
        if (!looksLikeText(bytes)) {
            throw new ParseException("unknown format" + (type.isEmpty() ? "" : " (" + type + ")") + ": the bytes are "
                    + "neither PDF, DOCX, nor text (HTML, Markdown, CSV, plain)");
        }
        if (type.equals("text/html") || type.equals("application/xhtml+xml") || file.endsWith(".html")
                || file.endsWith(".htm")) return HTML;
        if (type.equals("text/markdown") || type.equals("text/x-markdown") || file.endsWith(".md")
                || file.endsWith(".markdown")) return MARKDOWN;
        if (type.equals("text/csv") || file.endsWith(".csv")) return CSV;
        String head = new String(bytes, 0, Math.min(bytes.length, 512), StandardCharsets.UTF_8).stripLeading()
                .toLowerCase(Locale.ROOT);
        if (head.startsWith("<!doctype html") || head.startsWith("<html")) return HTML;
        return TEXT;
    }

    private static boolean startsWith(byte[] bytes, String prefix) {
        if (bytes.length < prefix.length()) return false;
        for (int i = 0; i < prefix.length(); i++) if (bytes[i] != (byte) prefix.charAt(i)) return false;
        return true;
    }

    /** No NUL byte in the first 8 kB (UTF-16 with a byte-order mark aside). */
    private static boolean looksLikeText(byte[] bytes) {
        if (bytes.length >= 2 && ((bytes[0] & 0xff) == 0xFE && (bytes[1] & 0xff) == 0xFF
                || (bytes[0] & 0xff) == 0xFF && (bytes[1] & 0xff) == 0xFE)) return true;
        for (int i = 0; i < Math.min(bytes.length, 8192); i++) if (bytes[i] == 0) return false;
        return true;
    }
}
