package dev.weft.kb.index;

import dev.weft.concurrent.Threads;
import dev.weft.store.kb.JdbcKnowledgeBases;
import dev.weft.store.kb.KbChange;
import dev.weft.store.kb.KbDocument;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
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
    /** How long an index goes without writes before it is merged into one segment. */
    public static final Duration COMPACT_AFTER_IDLE = Duration.ofSeconds(10);
    static final int CHANGES_BATCH = 1_000;
    private static final Logger log = LoggerFactory.getLogger(KbIndexes.class);

    private final JdbcKnowledgeBases kbs;
    private final Path folder;
    private final Map<Long, KbIndex> open = new ConcurrentHashMap<>();
    private final Map<Long, CompletableFuture<Void>> compacting = new ConcurrentHashMap<>();
    private final Map<Long, Long> lastWrite = new ConcurrentHashMap<>();
    private final ExecutorService segments;
    private final ExecutorService compactions;
    private final Clock clock;
    private volatile boolean closed;

    /**
     * Indexes under {@code folder}: an index with several segments that has had no write for
     * {@link #COMPACT_AFTER_IDLE} by {@code clock} is merged into one on a thread of its own (searches go on
     * meanwhile on the last commit), and the segments of an index not yet merged are searched in parallel, on as
     * many threads as the machine has cores.
     */
    public KbIndexes(JdbcKnowledgeBases kbs, Path folder, Clock clock) {
        this.kbs = kbs;
        this.folder = folder;
        this.clock = clock;
        this.compactions = Threads.fixed("weft-kb-compact", 1);
        this.segments = Threads.fixed("weft-kb-search", Math.max(2, Runtime.getRuntime().availableProcessors()));
    }

    /** The KB's index brought up to the KB's version now; empty when the KB does not exist. */
    public Optional<KbIndex> current(long kbId) {
        Optional<Long> version = kbs.version(kbId);
        if (version.isEmpty()) return Optional.empty();
        KbIndex index = index(kbId);
        if (index.version() < version.get()) catchUp(kbId, index);
        return Optional.of(index);
    }

    /**
     * Brings every open index up to date (a background round, so that searches rarely wait for indexing), and
     * starts merging the ones idle for long enough into one segment; the answer completes when those merges have.
     */
    public CompletableFuture<Void> syncOpen() {
        List<CompletableFuture<Void>> merges = new ArrayList<>();
        for (Long kbId : List.copyOf(open.keySet())) {
            Optional<KbIndex> index = current(kbId);
            if (index.isEmpty()) drop(kbId);   // deleted through another process
            else compactIfIdle(kbId, index.get()).ifPresent(merges::add);
        }
        return CompletableFuture.allOf(merges.toArray(CompletableFuture[]::new));
    }

    /**
     * Merges the index into one segment when it has several and no write for {@link #COMPACT_AFTER_IDLE}: the merge
     * runs outside the write lock (Lucene's writer takes changes meanwhile), and only its commit inside, so neither
     * searches nor catching up wait for it.
     */
    private Optional<CompletableFuture<Void>> compactIfIdle(long kbId, KbIndex index) {
        try {
            long idle = clock.millis() - lastWrite.getOrDefault(kbId, 0L);
            if (idle < COMPACT_AFTER_IDLE.toMillis() || index.segments() <= 1 || compacting.containsKey(kbId)) {
                return Optional.empty();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            CompletableFuture<Void> merge = CompletableFuture.runAsync(() -> merge(kbId, index), compactions);
            compacting.put(kbId, merge);
            merge.whenComplete((ok, failed) -> compacting.remove(kbId, merge));
            return Optional.of(merge);
        } catch (RejectedExecutionException e) {   // shutting down
            return Optional.empty();
        }
    }

    private void merge(long kbId, KbIndex index) {
        try {
            long started = System.nanoTime();
            index.merge(1);
            synchronized (index) {
                if (closed || open.get(kbId) != index) return;
                index.publish();
            }
            log.info("merged the index of knowledge base {} into one segment in {} ms", kbId,
                    (System.nanoTime() - started) / 1_000_000);
        } catch (IOException | RuntimeException e) {   // closed or dropped meanwhile, or a disk error
            if (!closed && open.get(kbId) == index) {
                log.warn("merging the index of knowledge base {} failed: {}", kbId, e.toString());
            }
        }
    }

    /** Closes and deletes the KB's index (the KB was deleted). */
    public void drop(long kbId) {
        KbIndex index = open.remove(kbId);
        lastWrite.remove(kbId);
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
                return opened(id, KbIndex.open(dir, segments));
            } catch (LockObtainFailedException e) {   // never delete what another process has open
                throw new IllegalStateException("the index folder " + dir + " is in use by another process: each Weft "
                        + "process needs a data folder of its own", e);
            } catch (IOException | RuntimeException e) {
                log.warn("the index of knowledge base {} cannot be opened ({}); rebuilding it from the database", id,
                        e.toString());
                try {
                    delete(dir);
                    return opened(id, KbIndex.open(dir, segments));
                } catch (IOException again) {
                    throw new UncheckedIOException("cannot create the index of knowledge base " + id + " in " + dir, again);
                }
            }
        });
    }

    private KbIndex opened(long kbId, KbIndex index) {
        lastWrite.put(kbId, clock.millis());   // an index left with several segments is merged once idle from now
        return index;
    }

    private void catchUp(long kbId, KbIndex index) {
        synchronized (index) {   // one writer per index; searches go on meanwhile on the last commit
            try {
                while (true) {
                    List<KbChange> changes = kbs.changesAfter(kbId, index.version(), CHANGES_BATCH);
                    if (changes.isEmpty()) return;
                    lastWrite.put(kbId, clock.millis());
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
        compactions.shutdownNow();
        segments.shutdownNow();
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
