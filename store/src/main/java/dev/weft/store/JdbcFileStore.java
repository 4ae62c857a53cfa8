package dev.weft.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Files Weft serves at a stable URL: the bytes on disk in one folder ({@code <folder>/<2 chars>/<id>}), what is
 * known of them in the {@code files} table. A file is written to a temporary name, synced, moved into place, and
 * only then recorded (through the one writer), so a row always has its bytes; a failed or over-limit save leaves
 * neither. Ids are random, 128 bits: knowing a file's id is what lets one read it.
 */
public final class JdbcFileStore {

    /** The folder under the data folder where file bytes live. */
    public static final String FOLDER = "files";
    /** {@code f} followed by 26 base32 characters (128 random bits). */
    public static final Pattern ID = Pattern.compile("f[a-z2-7]{26}");
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
    private static final int BUFFER = 64 * 1024;

    private static final String COLUMNS = "id, name, content_type, size, sha256, created_at, key_id, flow_id, task_id, node_id";
    /** A file belongs to the workspace of the task whose step stored it, else to the uploader's. */
    private static final String INSERT = "INSERT INTO files (" + COLUMNS + ", workspace_id) VALUES (?, ?, ?, ?, ?, ?,"
            + " ?, ?, ?, ?, COALESCE((SELECT t.workspace_id FROM tasks t WHERE t.id = ?), ?, 1))";
    private static final String SELECT_ONE = "SELECT " + COLUMNS + " FROM files WHERE id = ?";
    private static final String SELECT_IN_WORKSPACE = "SELECT " + COLUMNS + " FROM files WHERE id = ? AND workspace_id = ?";
    private static final String DELETE = "DELETE FROM files WHERE id = ?";
    private static final String IN_WORKSPACE = "SELECT id FROM files WHERE workspace_id = ?";
    private static final String DELETE_IN_WORKSPACE = "DELETE FROM files WHERE workspace_id = ?";

    private final Database database;
    private final Path folder;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public JdbcFileStore(Database database, Path folder, Clock clock) {
        this.database = database;
        this.folder = folder;
        this.clock = clock;
        try {
            Files.createDirectories(folder.resolve("tmp"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the file folder " + folder, e);
        }
    }

    /**
     * Reads {@code in} to its end and stores it; throws {@link FileTooLargeException} as soon as it passes
     * {@code maxBytes}, keeping nothing.
     */
    public FileRecord save(InputStream in, long maxBytes, String name, String contentType, FileRecord.Owner owner) {
        Path temp = null;
        try {
            temp = Files.createTempFile(folder.resolve("tmp"), "upload-", ".part");
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            long size = 0;
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
                 OutputStream out = java.nio.channels.Channels.newOutputStream(channel)) {
                byte[] buffer = new byte[BUFFER];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    size += n;
                    if (size > maxBytes) throw new FileTooLargeException(maxBytes);
                    sha256.update(buffer, 0, n);
                    out.write(buffer, 0, n);
                }
                out.flush();
                channel.force(true);   // the row is committed with fsync; its bytes must be on disk before it
            }
            String id = newId();
            Path target = path(id);
            Files.createDirectories(target.getParent());
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            temp = null;
            FileRecord file = new FileRecord(id, name, contentType, size, HexFormat.of().formatHex(sha256.digest()),
                    Instant.ofEpochMilli(clock.millis()), owner);
            try {
                insert(file);
            } catch (RuntimeException e) {
                Files.deleteIfExists(target);
                throw e;
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the file in " + folder + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // a leftover part file in tmp/ holds nothing anyone can reach
                }
            }
        }
    }

    /** The file's record; empty for an unknown id or a text that cannot be an id. */
    public Optional<FileRecord> find(String id) {
        if (id == null || !ID.matcher(id).matches()) return Optional.empty();
        return Rows.one(database.readers(), SELECT_ONE, JdbcFileStore::fileOf, id);
    }

    /** The file with this id if it belongs to workspace {@code workspaceId} (a run's file input: its flow's). */
    public Optional<FileRecord> find(String id, long workspaceId) {
        return Rows.one(database.readers(), SELECT_IN_WORKSPACE, JdbcFileStore::fileOf, id, workspaceId);
    }

    /** The file's bytes, to read; the caller closes the stream. */
    public InputStream open(FileRecord file) {
        try {
            return Files.newInputStream(path(file.id()));
        } catch (IOException e) {
            throw new UncheckedIOException("the bytes of file " + file.id() + " are missing from " + folder, e);
        }
    }

    /** Deletes the file's record, then its bytes; false when there is no such file. */
    public boolean delete(String id) {
        if (id == null || !ID.matcher(id).matches()) return false;
        boolean deleted = database.writer().run(tx -> Rows.update(tx, DELETE, id)) > 0;
        if (deleted) {
            try {
                Files.deleteIfExists(path(id));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete the bytes of file " + id, e);
            }
        }
        return deleted;
    }

    /**
     * Deletes every file of workspace {@code workspaceId}, records first (in one transaction), then their bytes: for a
     * workspace that is deleted, whose files no one may list or manage any more but whose links would still serve
     * them. Answers how many went.
     */
    public int deleteWorkspace(long workspaceId) {
        List<String> ids = database.writer().run(tx -> {
            List<String> found = Rows.list(tx, IN_WORKSPACE, row -> row.getString(1), workspaceId);
            Rows.update(tx, DELETE_IN_WORKSPACE, workspaceId);
            return found;
        });
        for (String id : ids) {
            if (!ID.matcher(id).matches()) continue;
            try {
                Files.deleteIfExists(path(id));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete the bytes of file " + id, e);
            }
        }
        return ids.size();
    }

    /** Where a file's bytes are (the id is checked by the callers: only ids of {@link #ID}'s form get here). */
    Path path(String id) {
        return folder.resolve(id.substring(1, 3)).resolve(id);
    }

    private void insert(FileRecord file) {
        FileRecord.Owner owner = file.owner() == null ? new FileRecord.Owner(null, null, null, null) : file.owner();
        database.writer().run(tx -> Rows.update(tx, INSERT, file.id(), file.name(), file.contentType(), file.size(),
                file.sha256(), file.createdAt().toEpochMilli(), owner.keyId(), owner.flowId(), owner.taskId(),
                owner.nodeId(), owner.taskId(), owner.workspaceId()));
    }

    private String newId() {
        byte[] bytes = new byte[17];
        random.nextBytes(bytes);
        StringBuilder id = new StringBuilder("f");
        // 26 base32 characters: the first 130 of the 136 random bits drawn
        long buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5 && id.length() < 27) {
                id.append(ALPHABET.charAt((int) (buffer >>> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        return id.toString();
    }

    private static FileRecord fileOf(ResultSet row) throws SQLException {
        return new FileRecord(row.getString("id"), row.getString("name"), row.getString("content_type"),
                row.getLong("size"), row.getString("sha256"), Instant.ofEpochMilli(row.getLong("created_at")),
                new FileRecord.Owner(row.getString("key_id"), Rows.longOrNull(row, "flow_id"),
                        Rows.longOrNull(row, "task_id"), row.getString("node_id")));
    }
}
