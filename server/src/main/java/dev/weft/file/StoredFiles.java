package dev.weft.file;

import dev.weft.node.NodeException;
import dev.weft.builtin.FileSink;
import dev.weft.store.FileRecord;
import dev.weft.store.FileTooLargeException;
import dev.weft.store.JdbcFileStore;
import dev.weft.store.JdbcTaskStore;
import dev.weft.store.TaskRecord;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;

/** The file store as the {@code files} node sees it: a fetched file is kept with the step that fetched it. */
public final class StoredFiles implements FileSink {

    private final JdbcFileStore files;
    private final JdbcTaskStore tasks;
    private final FileLinks links;
    private final long maxBytes;

    public StoredFiles(JdbcFileStore files, JdbcTaskStore tasks, FileLinks links, long maxBytes) {
        this.files = files;
        this.tasks = tasks;
        this.links = links;
        this.maxBytes = maxBytes;
    }

    @Override
    public Saved save(byte[] bytes, String name, String contentType, long taskId, String nodeId) {
        Optional<TaskRecord> task = tasks.reads().get(taskId);
        FileRecord.Owner owner = FileRecord.Owner.step(task.map(TaskRecord::keyId).orElse(null),
                task.map(TaskRecord::flowId).orElse(null), taskId, nodeId);
        FileRecord file;
        try {
            file = files.save(new ByteArrayInputStream(bytes), maxBytes, name, contentType, owner);
        } catch (FileTooLargeException e) {
            throw new NodeException("file_too_large", e.getMessage(), false);
        }
        return new Saved(file.id(), links.url(file.id()), file.name(), file.contentType(), file.size(), file.sha256());
    }

    @Override
    public Optional<Loaded> load(String ref, long maxBytes) {
        if (ref == null) return Optional.empty();
        Optional<String> id = links.idOf(ref.strip());
        if (id.isEmpty()) return Optional.empty();
        FileRecord file = files.find(id.get()).orElseThrow(() -> new NodeException("file_not_found",
                "no stored file has the id " + id.get(), false));
        long limit = Math.min(maxBytes, this.maxBytes);
        if (file.size() > limit) {
            throw new NodeException("file_too_large", "file " + file.id() + " has " + file.size()
                    + " bytes; at most " + limit + " may be read", false);
        }
        try (InputStream in = files.open(file)) {
            return Optional.of(new Loaded(file.id(), file.name(), file.contentType(), in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read file " + file.id(), e);
        }
    }
}
