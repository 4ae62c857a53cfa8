import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.store.kb.KbChunk;
import dev.weft.store.kb.KnowledgeBase;
import dev.weft.kb.embed.LocalEmbedder;
import dev.weft.kb.index.Hit;
import dev.weft.kb.index.KbIndex;
import dev.weft.kb.index.SearchQuery;
import dev.weft.kb.parse.Chunker;
import dev.weft.kb.parse.Documents;
import dev.weft.kb.parse.ParseLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Retrieval quality (issue 12): Weft's docs/*.md and README.md chunked by the kb module's Chunker, embedded by the
 * local model, indexed by KbIndex; each question of bench/kb/quality/questions.json is searched vector-only,
 * BM25-only and hybrid (KbIndex.search with the shipped defaults: RRF k 60, weights 1:1). A hit answers when its text
 * contains one of the question's answer strings (case and whitespace folded), so the check survives re-chunking.
 * Reports recall@5 (an answering chunk in the top 5) and MRR@10, overall, per kind and per half (odd ids = tuning
 * half, even ids = held-out half). Then a sweep of the fusion constant k and the weights, done in this program from
 * the two lists (top 40 each, as HybridSearch takes for top_k 10), chosen on the tuning half only and reported on the
 * held-out half. Usage: java -cp CP bench/kb/Quality.java ROOT [CHUNK_TOKENS OVERLAP]. Run by bench/kb/quality.sh.
 */
public class Quality {

    record Question(String id, String kind, String text, List<String> answers, float[] vector) {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        int tokens = args.length > 1 ? Integer.parseInt(args[1]) : KnowledgeBase.Chunking.DEFAULT.tokens();
        int overlap = args.length > 2 ? Integer.parseInt(args[2]) : KnowledgeBase.Chunking.DEFAULT.overlap();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        files.add(root.resolve("README.md"));
        Documents parser = new Documents(ParseLimits.DEFAULT);
        Chunker chunker = new Chunker(new KnowledgeBase.Chunking(tokens, overlap));
        List<KbChunk.New> all = new ArrayList<>();
        List<Integer> docOf = new ArrayList<>();
        for (int d = 0; d < files.size(); d++) {
            Path f = files.get(d);
            var parsed = parser.parse(Files.readAllBytes(f), "text/markdown", f.getFileName().toString());
            for (KbChunk.New c : chunker.chunks(parsed.blocks())) {
                all.add(c);
                docOf.add(d);
            }
        }
        LocalEmbedder embedder = new LocalEmbedder();
        long t0 = System.nanoTime();
        List<float[]> vectors = new ArrayList<>();
        for (int i = 0; i < all.size(); i += LocalEmbedder.BATCH) {
            List<String> texts = new ArrayList<>();
            for (KbChunk.New c : all.subList(i, Math.min(all.size(), i + LocalEmbedder.BATCH))) texts.add(c.text());
            vectors.addAll(embedder.embed(texts));
        }
        System.out.printf("corpus: %d files, %d chunks (%d tokens, overlap %d), embedded in %.1f s%n", files.size(),
                all.size(), tokens, overlap, (System.nanoTime() - t0) / 1e9);

        JsonNode set = new ObjectMapper().readTree(root.resolve("bench/kb/quality/questions.json").toFile());
        List<Question> questions = new ArrayList<>();
        for (JsonNode q : set.get("questions")) {
            List<String> answers = new ArrayList<>();
            for (JsonNode a : q.get("answer")) answers.add(fold(a.asText()));
            String text = q.get("question").asText();
            questions.add(new Question(q.get("id").asText(), q.get("kind").asText(), text, answers,
                    embedder.embed(List.of(text)).get(0)));
        }
        Map<Long, String> textOf = new HashMap<>();
        Path folder = Files.createTempDirectory("kbq");
        try (KbIndex index = KbIndex.open(folder)) {
            Map<Integer, List<KbChunk>> byDoc = new HashMap<>();
            for (int i = 0; i < all.size(); i++) {
                KbChunk.New c = all.get(i);
                byDoc.computeIfAbsent(docOf.get(i), d -> new ArrayList<>()).add(new KbChunk(i, 1, docOf.get(i),
                        c.ordinal(), c.text(), c.source(), c.tokens(), c.metadata(), vectors.get(i)));
                textOf.put((long) i, fold(c.text()));
            }
            for (var e : byDoc.entrySet()) index.replace(e.getKey(), e.getValue());
            index.commit(1);

            int unanswerable = 0;
            for (Question q : questions) {
                long n = textOf.values().stream().filter(t -> answers(t, q)).count();
                if (n == 0) {
                    unanswerable++;
                    System.out.println("NO CHUNK CONTAINS THE ANSWER OF " + q.id() + ": " + q.answers());
                }
            }
            System.out.printf("questions: %d (%d with no answering chunk)%n%n", questions.size(), unanswerable);

            Map<String, List<List<Long>>> ranked = new HashMap<>();
            for (String mode : List.of("vector", "bm25", "hybrid", "vector40", "bm2540")) ranked.put(mode, new ArrayList<>());
            for (Question q : questions) {
                ranked.get("vector").add(ids(index.search(new SearchQuery(q.text(), q.vector(), 10, Map.of(), 1, 0, 0))));
                ranked.get("bm25").add(ids(index.search(new SearchQuery(q.text(), q.vector(), 10, Map.of(), 0, 1, 0))));
                ranked.get("hybrid").add(ids(index.search(new SearchQuery(q.text(), q.vector(), 10, Map.of(), 1, 1, 0))));
                ranked.get("vector40").add(ids(index.search(new SearchQuery(q.text(), q.vector(), 40, Map.of(), 1, 0, 0))));
                ranked.get("bm2540").add(ids(index.search(new SearchQuery(q.text(), q.vector(), 40, Map.of(), 0, 1, 0))));
            }
            System.out.println("| mode | recall@5 all | MRR@10 all | recall@5 exact | recall@5 paraphrase | recall@5 multi | recall@5 odd (tuning) | recall@5 even (held out) | MRR even |");
            System.out.println("|---|---|---|---|---|---|---|---|---|");
            for (String mode : List.of("vector", "bm25", "hybrid")) row(mode + " (KbIndex.search)", ranked.get(mode), questions, textOf);
            // Check: our own fusion at k 60, 1:1 reproduces HybridSearch.
            List<List<Long>> own = fuse(ranked.get("vector40"), ranked.get("bm2540"), 60, 1, 1);
            int same = 0;
            for (int i = 0; i < questions.size(); i++) if (own.get(i).equals(ranked.get("hybrid").get(i))) same++;
            System.out.printf("%nown fusion (k 60, 1:1) equals KbIndex.search's hybrid order on %d of %d questions%n%n", same, questions.size());

            System.out.println("Sweep (chosen on the odd half by MRR@10, then recall@5):");
            System.out.println("| k | vector:text | odd recall@5 | odd MRR | even recall@5 | even MRR |");
            System.out.println("|---|---|---|---|---|---|");
            double bestMrr = -1, bestRecall = -1;
            String best = null;
            for (int k : new int[] {1, 5, 10, 20, 60, 100}) {
                for (double[] w : new double[][] {{1, 1}, {1, 2}, {2, 1}, {1, 3}, {3, 1}}) {
                    List<List<Long>> f = fuse(ranked.get("vector40"), ranked.get("bm2540"), k, w[0], w[1]);
                    double[] odd = score(f, questions, textOf, 1), even = score(f, questions, textOf, 0);
                    System.out.printf("| %d | %.0f:%.0f | %.3f | %.3f | %.3f | %.3f |%n", k, w[0], w[1], odd[0], odd[1], even[0], even[1]);
                    if (odd[1] > bestMrr + 1e-9 || (Math.abs(odd[1] - bestMrr) < 1e-9 && odd[0] > bestRecall)) {
                        bestMrr = odd[1];
                        bestRecall = odd[0];
                        best = String.format("k %d, weights %.0f:%.0f -> held out: recall@5 %.3f, MRR %.3f", k, w[0], w[1], even[0], even[1]);
                    }
                }
            }
            System.out.println("\nbest on the tuning half: " + best);
            System.out.println("\nPer question (rank of the first answering chunk in top 10, 0 = none): vector / bm25 / hybrid");
            for (int i = 0; i < questions.size(); i++) {
                Question q = questions.get(i);
                System.out.printf("%s %-5s %2d %2d %2d  %s%n", q.id(), q.kind(), rank(ranked.get("vector").get(i), q, textOf),
                        rank(ranked.get("bm25").get(i), q, textOf), rank(ranked.get("hybrid").get(i), q, textOf), q.text());
            }
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            walk.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        }
    }

    static List<Long> ids(List<Hit> hits) {
        List<Long> ids = new ArrayList<>();
        for (Hit h : hits) ids.add(h.chunkId());
        return ids;
    }

    /** Reciprocal rank fusion of two lists, the top 10, ties by chunk id (HybridSearch breaks them by Lucene doc). */
    static List<List<Long>> fuse(List<List<Long>> a, List<List<Long>> b, int k, double wa, double wb) {
        List<List<Long>> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            Map<Long, Double> s = new HashMap<>();
            for (int r = 0; r < a.get(i).size(); r++) s.merge(a.get(i).get(r), wa / (k + r + 1), Double::sum);
            for (int r = 0; r < b.get(i).size(); r++) s.merge(b.get(i).get(r), wb / (k + r + 1), Double::sum);
            List<Long> ids = new ArrayList<>(s.keySet());
            ids.sort((x, y) -> s.get(y).equals(s.get(x)) ? Long.compare(x, y) : Double.compare(s.get(y), s.get(x)));
            out.add(ids.subList(0, Math.min(10, ids.size())));
        }
        return out;
    }

    static void row(String name, List<List<Long>> lists, List<Question> qs, Map<Long, String> textOf) {
        double[] all = score(lists, qs, textOf, -1), odd = score(lists, qs, textOf, 1), even = score(lists, qs, textOf, 0);
        System.out.printf("| %s | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |%n", name, all[0], all[1],
                kind(lists, qs, textOf, "exact"), kind(lists, qs, textOf, "para"), kind(lists, qs, textOf, "multi"),
                odd[0], even[0], even[1]);
    }

    static double kind(List<List<Long>> lists, List<Question> qs, Map<Long, String> textOf, String kind) {
        int n = 0, ok = 0;
        for (int i = 0; i < qs.size(); i++) {
            if (!qs.get(i).kind().equals(kind)) continue;
            n++;
            int r = rank(lists.get(i), qs.get(i), textOf);
            if (r > 0 && r <= 5) ok++;
        }
        return n == 0 ? 0 : (double) ok / n;
    }

    /** {recall@5, MRR@10} over the questions of one half (parity of the id's number; -1 = all). */
    static double[] score(List<List<Long>> lists, List<Question> qs, Map<Long, String> textOf, int parity) {
        int n = 0;
        double recall = 0, mrr = 0;
        for (int i = 0; i < qs.size(); i++) {
            int number = Integer.parseInt(qs.get(i).id().substring(1));
            if (parity >= 0 && number % 2 != parity) continue;
            n++;
            int r = rank(lists.get(i), qs.get(i), textOf);
            if (r > 0 && r <= 5) recall++;
            if (r > 0) mrr += 1.0 / r;
        }
        return new double[] {recall / n, mrr / n};
    }

    static int rank(List<Long> ids, Question q, Map<Long, String> textOf) {
        for (int r = 0; r < Math.min(10, ids.size()); r++) if (answers(textOf.get(ids.get(r)), q)) return r + 1;
        return 0;
    }

    static boolean answers(String foldedText, Question q) {
        for (String a : q.answers()) if (foldedText.contains(a)) return true;
        return false;
    }

    static String fold(String s) {
        return s.toLowerCase(Locale.ROOT).replace("`", "").replaceAll("\\s+", " ").trim();
    }
}
