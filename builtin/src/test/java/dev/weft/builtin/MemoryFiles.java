package dev.weft.builtin;

import dev.weft.node.NodeException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A file store in memory that answers as the server's does: ids {@code f1, f2...} (unique under concurrent saves, as
 * the node saves a request's images at once), URLs
 * {@code http://weft.test/api/v1/files/<id>}; {@code load} refuses a file over the limit by its recorded size,
 * before reading it (and counts the files it did read).
 */
final class MemoryFiles implements FileSink {

    static final String BASE = "http://weft.test/api/v1/files/";
    private static final Pattern REF = Pattern.compile("(?:" + Pattern.quote(BASE) + "|/api/v1/files/)?(f\\d+)");

    record File(String id, String name, String contentType, byte[] bytes, long taskId, String nodeId) {}

    private final AtomicInteger ids = new AtomicInteger();
    final Map<String, File> files = new ConcurrentHashMap<>();
    final List<File> saved = new CopyOnWriteArrayList<>();
    final List<String> read = new CopyOnWriteArrayList<>();

    /** Stores a file as a caller's upload would (no step); answers its URL. */
    String upload(byte[] bytes, String name, String contentType) {
        return BASE + put(name, contentType, bytes);
    }

    /** Stores a file as an upload would (no step). */
    String put(String name, String contentType, byte[] bytes) {
        String id = "f" + ids.incrementAndGet();
        files.put(id, new File(id, name, contentType, bytes, 0, null));
        return id;
    }

    @Override
    public Saved save(byte[] bytes, String name, String contentType, long taskId, String nodeId) {
        String id = "f" + ids.incrementAndGet();
        File file = new File(id, name, contentType, bytes, taskId, nodeId);
        files.put(id, file);
        saved.add(file);
        return new Saved(id, BASE + id, name, contentType, bytes.length, sha256(bytes));
    }

    @Override
    public Optional<Loaded> load(String ref, long maxBytes) {
        Matcher m = REF.matcher(ref == null ? "" : ref.strip());
        if (!m.matches()) return Optional.empty();
        File file = files.get(m.group(1));
        if (file == null) throw new NodeException("file_not_found", "no stored file has the id " + m.group(1), false);
        if (file.bytes().length > maxBytes) {
            throw new NodeException("file_too_large", "file " + file.id() + " has " + file.bytes().length
                    + " bytes; at most " + maxBytes + " may be read", false);
        }
        read.add(file.id());
        return Optional.of(new Loaded(file.id(), file.name(), file.contentType(), file.bytes()));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
