package dev.weft.builtin;

import dev.weft.node.NodeException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A file store in memory for node tests (shared through this module's test jar): files get ids {@code f1},
 * {@code f2}, ... and URLs under {@link #BASE}; {@link #load} reads one back by id, URL or URL path, as the
 * server's store does, and fails {@code file_not_found} / {@code file_too_large} the same way.
 */
public final class MemoryFiles implements FileSink {

    public static final String BASE = "http://weft.test/api/v1/files/";
    private static final Pattern REF = Pattern.compile("(?:" + Pattern.quote(BASE) + "|/api/v1/files/)?(f[0-9]+)");

    /** A stored file and who stored it. */
    public record File(Saved saved, byte[] bytes, long taskId, String nodeId) {}

    private final AtomicInteger ids = new AtomicInteger();
    /** The stored files by id. */
    public final Map<String, File> files = new ConcurrentHashMap<>();

    @Override
    public Saved save(byte[] bytes, String name, String contentType, long taskId, String nodeId) {
        String id = "f" + ids.incrementAndGet();
        String sha;
        try {
            sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Saved saved = new Saved(id, BASE + id, name, contentType, bytes.length, sha);
        files.put(id, new File(saved, bytes.clone(), taskId, nodeId));
        return saved;
    }

    /** Stores a file as a caller's upload would; answers its URL. */
    public String put(byte[] bytes, String name, String contentType) {
        return save(bytes, name, contentType, 0, "upload").url();
    }

    @Override
    public Optional<Loaded> load(String ref, long maxBytes) {
        Matcher m = REF.matcher(ref == null ? "" : ref.strip());
        if (!m.matches()) return Optional.empty();
        File file = files.get(m.group(1));
        if (file == null) throw new NodeException("file_not_found", "no stored file has the id " + m.group(1), false);
        if (file.bytes().length > maxBytes) {
            throw new NodeException("file_too_large", "file " + m.group(1) + " has " + file.bytes().length
                    + " bytes; at most " + maxBytes + " may be read", false);
        }
        return Optional.of(new Loaded(m.group(1), file.saved().name(), file.saved().contentType(), file.bytes().clone()));
    }
}
