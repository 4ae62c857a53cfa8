package dev.weft.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.builtin.PythonRuntime;
import dev.weft.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What a python node's run costs: the first call after start (the sandbox's zygote starts), warm calls one after
 * another (back to back, and paced so that the zygote's pool of ready children refills between calls), and the
 * memory of the zygote and its children (RSS and PSS, summed over the sandbox's processes) with runs in flight.
 *
 * <pre>java -cp bench/target/benchmarks.jar dev.weft.bench.PythonCalls [calls] [in-flight] [pause-ms]</pre>
 * (the pause between the 40 paced calls; default 250 ms)
 */
public final class PythonCalls {

    static final String CODE = "return {'total': sum(inputs['items']), 'name': inputs['name'].upper()}";
    static final ObjectNode INPUTS = (ObjectNode) Json.read("{\"name\": \"ada\", \"items\": [1, 2, 3]}");
    static final String BUSY = "x = 0\nwhile x < 10 ** 9:\n    x += 1";

    private PythonCalls() {}

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        int inFlight = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        long pause = args.length > 2 ? Long.parseLong(args[2]) : 250;
        try (PythonRuntime runtime = new PythonRuntime()) {
            long start = System.nanoTime();
            call(runtime);
            System.out.printf("first call (zygote start included): %.1f ms%n", (System.nanoTime() - start) / 1e6);
            for (int i = 0; i < 50; i++) call(runtime);
            long cpu = cpuTicks(runtime.pid());
            report("back to back", times(runtime, calls, 0));
            System.out.printf("sandbox CPU per run (fork, warm-up, run, exit; zygote and children): %.2f ms%n",
                    (cpuTicks(runtime.pid()) - cpu) * 10.0 / calls);
            report("paced " + pause + " ms apart", times(runtime, 40, pause));

            Thread.sleep(500);   // the pool of idle children is full again
            long[] idle = memory(runtime.pid());
            List<CompletableFuture<ObjectNode>> running = new ArrayList<>();
            for (int i = 0; i < inFlight; i++) running.add(runtime.run(BUSY, Json.object(), 4_000, 64));
            Thread.sleep(1_500);
            long[] busy = memory(runtime.pid());
            System.out.printf("sandbox memory idle: RSS %.1f MB, PSS %.1f MB (%d processes)%n", idle[0] / 1e6,
                    idle[1] / 1e6, idle[2]);
            System.out.printf("with %d runs in flight: RSS %.1f MB, PSS %.1f MB (%d processes): %.2f MB PSS per run%n",
                    inFlight, busy[0] / 1e6, busy[1] / 1e6, busy[2], (busy[1] - idle[1]) / 1e6 / inFlight);
            for (CompletableFuture<ObjectNode> run : running) run.cancel(true);
        }
    }

    private static void call(PythonRuntime runtime) throws Exception {
        ObjectNode answer = runtime.run(CODE, INPUTS, 5_000, 64).get();
        if (!answer.path("ok").asBoolean()) throw new IllegalStateException(answer.toString());
    }

    private static long[] times(PythonRuntime runtime, int calls, long pauseMillis) throws Exception {
        long[] nanos = new long[calls];
        for (int i = 0; i < calls; i++) {
            if (pauseMillis > 0) Thread.sleep(pauseMillis);
            long t = System.nanoTime();
            call(runtime);
            nanos[i] = System.nanoTime() - t;
        }
        return nanos;
    }

    private static void report(String what, long[] nanos) {
        Arrays.sort(nanos);
        System.out.printf("warm call, %s: p50 %.3f ms, p90 %.3f ms, p99 %.3f ms (%d calls)%n", what,
                nanos[nanos.length / 2] / 1e6, nanos[nanos.length * 9 / 10] / 1e6, nanos[nanos.length * 99 / 100] / 1e6,
                nanos.length);
    }

    /** CPU time in clock ticks (10 ms) of {@code root}'s tree: utime + stime + the reaped children's. */
    static long cpuTicks(long root) throws IOException {
        long ticks = 0;
        for (long pid : tree(root)) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                for (int i = 11; i <= 14; i++) ticks += Long.parseLong(fields[i]);
            } catch (IOException gone) {
                // the process ended meanwhile
            }
        }
        return ticks;
    }

    /** RSS and PSS in bytes, and the process count, of {@code root} and every process below it. */
    static long[] memory(long root) throws IOException {
        List<Long> tree = tree(root);
        long rss = 0;
        long pss = 0;
        for (long pid : tree) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup"))) {
                    if (line.startsWith("Rss:")) rss += kilobytes(line) * 1024;
                    if (line.startsWith("Pss:")) pss += kilobytes(line) * 1024;
                }
            } catch (IOException gone) {
                // the process ended meanwhile
            }
        }
        return new long[] {rss, pss, tree.size()};
    }

    private static List<Long> tree(long root) throws IOException {
        List<Long> tree = new ArrayList<>(List.of(root));
        List<long[]> parents = new ArrayList<>();
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path dir : (Iterable<Path>) dirs::iterator) {
                String name = dir.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) continue;
                try {
                    String stat = Files.readString(dir.resolve("stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    parents.add(new long[] {Long.parseLong(name), Long.parseLong(fields[1])});
                } catch (IOException gone) {
                    // the process ended meanwhile
                }
            }
        }
        for (int i = 0; i < tree.size(); i++) {
            for (long[] p : parents) if (p[1] == tree.get(i)) tree.add(p[0]);
        }
        return tree;
    }

    private static long kilobytes(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
}
