import dev.weft.kb.embed.LocalEmbedder;
import java.util.Arrays;
import java.util.List;

/**
 * What the local model adds to a search (issue 12): embedding one short query with LocalEmbedder, as a search with
 * the default model does before the index is asked; first call (the model's load) and then N calls one after another.
 * Usage: java -cp CP bench/kb/QueryEmbed.java [N]. Run by bench/kb/quality.sh embed.
 */
public class QueryEmbed {

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        String[] queries = {"when do I get my money back?", "how do I create a server key", "retry after 429",
                "what happens when a task fails", "where are files stored", "PostgreSQL with many processes"};
        LocalEmbedder embedder = new LocalEmbedder();
        long t0 = System.nanoTime();
        embedder.embed(List.of(queries[0]));
        System.out.printf("first query embedding (loads the model): %.0f ms%n", (System.nanoTime() - t0) / 1e6);
        for (int i = 0; i < 50; i++) embedder.embed(List.of(queries[i % queries.length]));   // warm-up
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
            long s = System.nanoTime();
            embedder.embed(List.of(queries[i % queries.length] + " " + i));
            nanos[i] = System.nanoTime() - s;
        }
        Arrays.sort(nanos);
        System.out.printf("query embedding with the local model, %d one after another: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                n, nanos[n / 2] / 1e6, nanos[(int) (n * 0.99)] / 1e6, nanos[n - 1] / 1e6);
    }
}
