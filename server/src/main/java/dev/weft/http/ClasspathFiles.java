package dev.weft.http;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The files of one classpath folder (the UI's build, a webjar), each read on its first request and then answered
 * from memory, with an ETag. Javalin's own static files mount the jar as a zip file system for each folder, and each
 * mount keeps an index of the whole jar on the heap: about a sixth of an idle server's heap for Weft's jar. Only
 * files that exist are kept, so memory is bounded by the folder's size.
 */
public final class ClasspathFiles {

    private record File(byte[] bytes, String contentType, String etag) {}

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "json", "application/json",
            "map", "application/json",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "woff2", "font/woff2");

    private final String folder;
    private final Map<String, String> headers;
    private final Map<String, File> kept = new ConcurrentHashMap<>();

    /** {@code folder}: an absolute classpath folder ({@code /ui}); {@code headers}: added to every file answered. */
    public ClasspathFiles(String folder, Map<String, String> headers) {
        this.folder = folder.endsWith("/") ? folder.substring(0, folder.length() - 1) : folder;
        this.headers = Map.copyOf(headers);
    }

    /** Answers with the file at {@code path} (relative to the folder): 200, 304 for a current ETag, or 404. */
    public void serve(Context ctx, String path) {
        Optional<File> found = find(path);
        if (found.isEmpty()) {
            ctx.status(HttpStatus.NOT_FOUND).contentType("text/plain; charset=utf-8").result("Not found");
            return;
        }
        File file = found.get();
        headers.forEach(ctx::header);
        ctx.header("ETag", file.etag());
        if (file.etag().equals(ctx.header("If-None-Match"))) {
            ctx.status(HttpStatus.NOT_MODIFIED);
            return;
        }
        ctx.contentType(file.contentType()).result(file.bytes());
    }

    private Optional<File> find(String path) {
        if (!safe(path)) return Optional.empty();
        File file = kept.get(path);
        if (file != null) return Optional.of(file);
        byte[] bytes = read(folder + "/" + path);
        if (bytes == null) return Optional.empty();
        File read = new File(bytes, contentType(path), etag(bytes));
        kept.putIfAbsent(path, read);
        return Optional.of(read);
    }

    /** A relative path of named segments with a file extension: no {@code ..}, no empty segment, no backslash. */
    static boolean safe(String path) {
        if (path == null || path.isEmpty() || path.startsWith("/") || path.contains("\\") || path.indexOf('\0') >= 0) {
            return false;
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) return false;
        }
        String last = path.substring(path.lastIndexOf('/') + 1);
        return last.lastIndexOf('.') > 0;
    }

    private static byte[] read(String resource) {
        try (InputStream in = ClasspathFiles.class.getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String contentType(String path) {
        String extension = path.substring(path.lastIndexOf('.') + 1).toLowerCase(java.util.Locale.ROOT);
        return TYPES.getOrDefault(extension, "application/octet-stream");
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(hash, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
