package dev.weft.builtin;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The name a file is stored under: for a fetched file, the answer's Content-Disposition filename or the URL's last
 * segment; for any file, only the last path segment of a given name, cleaned ({@link #clean}).
 */
public final class FileNames {

    public static final int MAX_LENGTH = 255;
    private static final Pattern EXTENDED = Pattern.compile("(?i)filename\\*\\s*=\\s*UTF-8''([^;]+)");
    private static final Pattern PLAIN = Pattern.compile("(?i)filename\\s*=\\s*(\"([^\"]*)\"|[^;]+)");

    private FileNames() {}

    static String of(Optional<String> contentDisposition, URI uri) {
        String name = contentDisposition.map(FileNames::fromDisposition).orElse(null);
        if (name == null) {
            String path = uri.getPath() == null ? "" : uri.getPath();
            name = path.substring(path.lastIndexOf('/') + 1);
        }
        name = clean(name);
        return name.isEmpty() ? FilesNode.FALLBACK_NAME : name;
    }

    /** The last path segment of {@code name}, without control characters, at most {@value #MAX_LENGTH} chars. */
    public static String clean(String name) {
        String base = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        base = base.replaceAll("\\p{Cntrl}", "").trim();
        return base.length() > MAX_LENGTH ? base.substring(0, MAX_LENGTH) : base;
    }

    private static String fromDisposition(String header) {
        Matcher extended = EXTENDED.matcher(header);
        if (extended.find()) return URLDecoder.decode(extended.group(1).trim(), StandardCharsets.UTF_8);
        Matcher plain = PLAIN.matcher(header);
        if (plain.find()) return plain.group(2) != null ? plain.group(2) : plain.group(1).trim();
        return null;
    }
}
