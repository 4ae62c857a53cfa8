import dev.weft.store.kb.KbChunk;
import dev.weft.kb.index.Hit;
import dev.weft.kb.index.KbIndex;
import dev.weft.kb.index.SearchQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;

/**
 * ANN recall@10 against exact search, and search latency, at N chunks (issue 12): synthetic 384-dimension vectors
 * with clustered structure (C random unit centres; each vector = centre + Gaussian noise, normalised), written
 * through the kb module's own KbIndex (its codec and HNSW settings), searched through KbIndex.search (vector only,
 * top_k 10: the path the API takes, minus the query embedding), and also with Lucene's KnnFloatVectorQuery at
 * several fan-outs k to show what the candidate pool buys. Exact = brute-force cosine over all N vectors.
 * Usage: java -cp CP bench/kb/AnnRecall.java [N] [CLUSTERS] [NOISE] [QUERIES]. Run by bench/kb/quality.sh ann.
 */
public class AnnRecall {

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int clusters = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        double noise = args.length > 2 ? Double.parseDouble(args[2]) : 1.0;
        int queries = args.length > 3 ? Integer.parseInt(args[3]) : 500;
        int dim = 384;
        Random random = new Random(42);
        float[][] centres = new float[clusters][];
        for (int c = 0; c < clusters; c++) centres[c] = gaussianUnit(random, dim, null, 0);
        float[][] vectors = new float[n][];
        for (int i = 0; i < n; i++) vectors[i] = gaussianUnit(random, dim, centres[random.nextInt(clusters)], noise);
        double cos = 0;
        for (int i = 0; i < 1000; i++) cos += dot(vectors[i], vectors[random.nextInt(n)]);
        System.out.printf("N=%d dim=%d clusters=%d noise=%.2f; mean cosine of random pairs %.3f%n", n, dim, clusters,
                noise, cos / 1000);

        Path folder = Files.createTempDirectory("ann");
        long t0 = System.nanoTime();
        try (KbIndex index = KbIndex.open(folder)) {
            int perDoc = 100;
            for (int d = 0; d * perDoc < n; d++) {
                List<KbChunk> chunks = new ArrayList<>();
                for (int i = d * perDoc; i < Math.min(n, (d + 1) * perDoc); i++) {
                    chunks.add(new KbChunk(i, 1, d, i - d * perDoc, "chunk " + i, new KbChunk.Source(null, null, 0, 0),
                            2, Map.of(), vectors[i]));
                }
                index.replace(d, chunks);
            }
            index.commit(1);
            double indexSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("indexed (incl. merges at commit) in %.1f s; size on disk %.1f MB (raw vectors %.1f MB)%n",
                    indexSeconds, folderBytes(folder) / 1e6, n * dim * 4 / 1e6);

            float[][] qs = queries(random, centres, noise, queries);
            int[][] exact = exact(vectors, qs);
            measure("KbIndex.search, as committed, segments one after another", index, qs, exact);
        }
        // The same index searched with its segments in parallel, then merged to one segment (KbIndex.compact).
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (KbIndex index = KbIndex.open(folder, pool)) {
            float[][] qs = queries(random, centres, noise, queries);
            int[][] exact = exact(vectors, qs);
            System.out.printf("segments: %d%n", index.segments());
            measure("KbIndex.search, as committed, segments in parallel (2 threads)", index, qs, exact);
            long m = System.nanoTime();
            index.compact(1);
            System.out.printf("compact(1) in %.1f s; segments: %d%n", (System.nanoTime() - m) / 1e9, index.segments());
            measure("KbIndex.search, one segment", index, qs, exact);
        } finally {
            pool.shutdown();
        }
        // Lucene's KNN query at several fan-outs, on the same index.
        try (DirectoryReader reader = DirectoryReader.open(FSDirectory.open(folder))) {
            IndexSearcher searcher = new IndexSearcher(reader);
            System.out.printf("segments: %d%n", reader.leaves().size());
            float[][] qs = new float[queries][];
            int[][] exact = new int[queries][];
            for (int q = 0; q < queries; q++) {
                qs[q] = gaussianUnit(random, dim, centres[random.nextInt(clusters)], noise);
                exact[q] = exactTop(vectors, qs[q], 10);
            }
            for (int k : new int[] {10, 20, 40, 100, 200}) {
                for (int q = 0; q < Math.min(50, queries); q++) searcher.search(new KnnFloatVectorQuery("vector", qs[q], k), 10);
                double recall = 0;
                long[] nanos = new long[queries];
                for (int q = 0; q < queries; q++) {
                    long s = System.nanoTime();
                    TopDocs top = searcher.search(new KnnFloatVectorQuery("vector", qs[q], k), 10);
                    nanos[q] = System.nanoTime() - s;
                    Set<Long> found = new HashSet<>();
                    for (var sd : top.scoreDocs) found.add(Long.parseLong(searcher.storedFields().document(sd.doc).get("chunk")));
                    int ok = 0;
                    for (int id : exact[q]) if (found.contains((long) id)) ok++;
                    recall += ok / 10.0;
                }
                Arrays.sort(nanos);
                System.out.printf("KnnFloatVectorQuery k=%d: recall@10 %.4f; p50 %.2f ms, p99 %.2f ms%n", k,
                        recall / queries, nanos[queries / 2] / 1e6, nanos[(int) (queries * 0.99)] / 1e6);
            }
        }
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        }
    }

    static float[][] queries(Random random, float[][] centres, double noise, int queries) {
        float[][] qs = new float[queries][];
        for (int q = 0; q < queries; q++) qs[q] = gaussianUnit(random, centres[0].length, centres[random.nextInt(centres.length)], noise);
        return qs;
    }

    static int[][] exact(float[][] vectors, float[][] qs) {
        int[][] exact = new int[qs.length][];
        for (int q = 0; q < qs.length; q++) exact[q] = exactTop(vectors, qs[q], 10);
        return exact;
    }

    /** Recall@10 and latency of KbIndex.search (vector only, top_k 10: the path the API takes, minus the embedding). */
    static void measure(String what, KbIndex index, float[][] qs, int[][] exact) throws Exception {
        int queries = qs.length;
        for (int q = 0; q < Math.min(100, queries); q++) index.search(vectorQuery(qs[q]));   // warm-up
        long[] nanos = new long[queries];
        double recall = 0;
        for (int q = 0; q < queries; q++) {
            long s = System.nanoTime();
            List<Hit> hits = index.search(vectorQuery(qs[q]));
            nanos[q] = System.nanoTime() - s;
            Set<Long> found = new HashSet<>();
            for (Hit h : hits) found.add(h.chunkId());
            int ok = 0;
            for (int id : exact[q]) if (found.contains((long) id)) ok++;
            recall += ok / 10.0;
        }
        Arrays.sort(nanos);
        System.out.printf("%s: recall@10 %.4f; p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d queries, one caller)%n", what,
                recall / queries, nanos[queries / 2] / 1e6, nanos[(int) (queries * 0.99)] / 1e6,
                nanos[queries - 1] / 1e6, queries);
    }

    static SearchQuery vectorQuery(float[] v) {
        return new SearchQuery(null, v, 10, Map.of(), 1.0, 0.0, 0.0);
    }

    static int[] exactTop(float[][] vectors, float[] q, int k) {
        int[] best = new int[k];
        double[] scores = new double[k];
        Arrays.fill(scores, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < vectors.length; i++) {
            double s = dot(vectors[i], q);
            if (s <= scores[k - 1]) continue;
            int j = k - 1;
            while (j > 0 && scores[j - 1] < s) { scores[j] = scores[j - 1]; best[j] = best[j - 1]; j--; }
            scores[j] = s;
            best[j] = i;
        }
        return best;
    }

    static float[] gaussianUnit(Random r, int dim, float[] centre, double noise) {
        float[] v = new float[dim];
        double scale = centre == null ? 1 : noise / Math.sqrt(dim);
        double norm = 0;
        for (int i = 0; i < dim; i++) {
            v[i] = (float) ((centre == null ? 0 : centre[i]) + r.nextGaussian() * scale);
            norm += v[i] * v[i];
        }
        norm = Math.sqrt(norm);
        for (int i = 0; i < dim; i++) v[i] /= norm;
        return v;
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    static long folderBytes(Path folder) throws Exception {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
