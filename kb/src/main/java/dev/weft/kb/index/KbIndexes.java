package dev.weft.kb.index;

import dev.weft.store.kb.JdbcKnowledgeBases;
import dev.weft.store.kb.KbChange;
import dev.weft.store.kb.KbDocument;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.lucene.store.LockObtainFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process's indexes, one per knowledge base under {@code <data>/kb/<id>}, each kept in step with the database:
 * {@link #current(long)} applies the KB's changes the index has not seen (in version order, a batch at a time) and
 * returns the index, so a search anywhere answers from everything committed before it began. Applying a change reads
 * the document as it is now: a document whose last change is {@code ready} and that is still ready gets its chunks
 * indexed, any other loses them; replaying a change is harmless, so an index that is missing or unreadable is
 * simply rebuilt from version 0.
 */
public final class KbIndexes implements AutoCloseable {

    public static final String FOLDER = "kb";
    static final int CHANGES_BATCH = 1_000;
    private static final Logger log = LoggerFactory.getLogger(KbIndexes.class);

    private final JdbcKnowledgeBases kbs;
    private final Path folder;
    private final Map<Long, KbIndex> open = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public KbIndexes(JdbcKnowledgeBases kbs, Path folder) {
        this.kbs = kbs;
        this.folder = folder;
    }

    /** The KB's index brought up to the KB's version now; empty when the KB does not exist. */
    public Optional<KbIndex> current(long kbId) {
        Optional<Long> version = kbs.version(kbId);
        if (version.isEmpty()) return Optional.empty();
        KbIndex index = index(kbId);
        if (index.version() < version.get()) catchUp(kbId, index);
        return Optional.of(index);
    }

    /** Brings every open index up to date (a background round, so that searches rarely wait for indexing). */
    public void syncOpen() {
        for (Long kbId : List.copyOf(open.keySet())) {
            if (current(kbId).isEmpty()) drop(kbId);   // deleted through another process
        }
    }

    /** Closes and deletes the KB's index (the KB was deleted). */
    public void drop(long kbId) {
        KbIndex index = open.remove(kbId);
        try {
            if (index != null) {
                synchronized (index) {
                    index.close();
                }
            }
            delete(folder.resolve(Long.toString(kbId)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the index of knowledge base " + kbId, e);
        }
    }

    private KbIndex index(long kbId) {
        if (closed) throw new IllegalStateException("the knowledge-base indexes are closed");
        return open.computeIfAbsent(kbId, id -> {
            Path dir = folder.resolve(Long.toString(id));
            try {
                return KbIndex.open(dir);
            } catch (LockObtainFailedException e) {   // never delete what another process has open
                throw new IllegalStateException("the index folder " + dir + " is in use by another process: each Weft "
                        + "process needs a data folder of its own", e);
            } catch (IOException | RuntimeException e) {
                log.warn("the index of knowledge base {} cannot be opened ({}); rebuilding it from the database", id,
                        e.toString());
                try {
                    delete(dir);
                    return KbIndex.open(dir);
                } catch (IOException again) {
                    throw new UncheckedIOException("cannot create the index of knowledge base " + id + " in " + dir, again);
                }
            }
        });
    }

    private void catchUp(long kbId, KbIndex index) {
        synchronized (index) {   // one writer per index; searches go on meanwhile on the last commit
            try {
                while (true) {
                    List<KbChange> changes = kbs.changesAfter(kbId, index.version(), CHANGES_BATCH);
                    if (changes.isEmpty()) return;
                    Map<Long, KbChange.Kind> last = new LinkedHashMap<>();
                    for (KbChange c : changes) last.put(c.documentId(), c.kind());
                    for (Map.Entry<Long, KbChange.Kind> e : last.entrySet()) {
                        boolean ready = e.getValue() == KbChange.Kind.READY && kbs.document(e.getKey())
                                .map(d -> d.status() == KbDocument.Status.READY).orElse(false);
                        index.replace(e.getKey(), ready ? kbs.chunks(e.getKey()) : List.of());
                    }
                    index.commit(changes.get(changes.size() - 1).version());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot update the index of knowledge base " + kbId, e);
            }
        }
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    @Override
    public void close() {
        closed = true;
        for (KbIndex index : open.values()) {
            synchronized (index) {
                try {
                    index.close();
                } catch (IOException e) {
                    log.warn("closing a knowledge-base index failed: {}", e.toString());
                }
            }
        }
        open.clear();
    }
}
