package dev.weft.builtin;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What kind of media some bytes are, for the media nodes: an image is known by its first bytes (a provider that
 * answers an error page with status 200 must not become a stored "image"), an audio format by the name the speech
 * API gives it; and the file name extension that goes with a content type.
 */
final class MediaTypes {

    /** The speech API's formats and the content type of each. */
    static final Map<String, String> AUDIO = Map.of("mp3", "audio/mpeg", "opus", "audio/ogg", "aac", "audio/aac",
            "flac", "audio/flac", "wav", "audio/wav", "pcm", "audio/L16");

    private static final Map<String, String> EXTENSIONS = Map.ofEntries(Map.entry("image/png", "png"),
            Map.entry("image/jpeg", "jpg"), Map.entry("image/gif", "gif"), Map.entry("image/webp", "webp"),
            Map.entry("audio/mpeg", "mp3"), Map.entry("audio/ogg", "ogg"), Map.entry("audio/aac", "aac"),
            Map.entry("audio/flac", "flac"), Map.entry("audio/wav", "wav"), Map.entry("audio/l16", "pcm"),
            Map.entry("audio/webm", "webm"), Map.entry("audio/mp4", "m4a"));

    private MediaTypes() {}

    /** The image type {@code bytes} begin with (PNG, JPEG, GIF, WebP), or empty when they are no image of these. */
    static Optional<String> image(byte[] bytes) {
        if (starts(bytes, 0, 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n')) return Optional.of("image/png");
        if (starts(bytes, 0, 0xff, 0xd8, 0xff)) return Optional.of("image/jpeg");
        if (starts(bytes, 0, 'G', 'I', 'F', '8')) return Optional.of("image/gif");
        if (starts(bytes, 0, 'R', 'I', 'F', 'F') && starts(bytes, 8, 'W', 'E', 'B', 'P')) return Optional.of("image/webp");
        return Optional.empty();
    }

    /** The content type without parameters, lower case; empty for none. */
    static String bare(String contentType) {
        return contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
    }

    /** A file name for a generated file: {@code stem} and the extension of its content type, when known. */
    static String fileName(String stem, String contentType) {
        String extension = EXTENSIONS.get(bare(contentType));
        return extension == null ? stem : stem + "." + extension;
    }

    private static boolean starts(byte[] bytes, int from, int... expected) {
        if (bytes.length < from + expected.length) return false;
        for (int i = 0; i < expected.length; i++) {
            if ((bytes[from + i] & 0xff) != expected[i]) return false;
        }
        return true;
    }
}
