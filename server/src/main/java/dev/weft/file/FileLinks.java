package dev.weft.file;

import dev.weft.store.JdbcFileStore;
import java.net.URI;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stable URL of a stored file ({@code <public URL>/api/v1/files/<id>}), and the reverse: which file a text
 * names, when it is a file id or one of these URLs.
 */
public final class FileLinks {

    public static final String PATH = "/api/v1/files/";
    private static final Pattern URL_PATH = Pattern.compile(Pattern.quote(PATH) + "(" + JdbcFileStore.ID.pattern() + ")");

    private final String configured;
    private volatile String listening;

    /** {@code publicUrl}: the address users reach this Weft at, or null to use the one it listens on. */
    public FileLinks(String publicUrl) {
        this.configured = publicUrl;
    }

    /** Tells where the server listens, once it does (the port may have been chosen by the system). */
    public void listening(String host, int port) {
        String name = host.equals("0.0.0.0") || host.equals("::") || host.isEmpty() ? "127.0.0.1" : host;
        this.listening = "http://" + (name.contains(":") ? "[" + name + "]" : name) + ":" + port;
    }

    public String base() {
        return configured != null ? configured : listening;
    }

    public String url(String id) {
        return base() + PATH + id;
    }

    /**
     * The file id that {@code text} names: a bare id, this Weft's file URL, or the URL's path; empty for anything
     * else (an outside URL is not a file of this Weft).
     */
    public Optional<String> idOf(String text) {
        if (JdbcFileStore.ID.matcher(text).matches()) return Optional.of(text);
        String path = text;
        if (!text.startsWith("/")) {
            String base = base();
            if (base == null || !text.startsWith(base + PATH)) return Optional.empty();
            path = text.substring(base.length());
        }
        try {
            path = URI.create(path).getPath();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        Matcher m = URL_PATH.matcher(path == null ? "" : path);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
