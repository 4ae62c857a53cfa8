import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Latency of MCP {@code tools/call} of a pure flow at concurrency 1, on loopback: one client calls in a loop for
 * --duration seconds after --warmup, three ways in turn (rounds of 1 s each, so all three share the machine's
 * conditions): (sdk) the official Java SDK's McpSyncClient over its Streamable HTTP transport, (raw) the same
 * JSON-RPC POST with the JDK's HttpClient, and, as the baseline, (execute) the Scade-compatible
 * {@code POST /api/v1/scade/flow/{id}/execute?wait=5} of the same flow. Each call's answer is checked. Prints one
 * JSON line: calls, p50, p90, p99 (ms) for each, and the ratios of the p50s. Run with Weft's jar on the class path
 * (it carries the SDK):
 *
 *   java -cp server/target/weft.jar bench/McpCalls.java --url http://127.0.0.1:18082 --key KEY --flow ID --tool NAME
 */
public class McpCalls {

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new java.util.HashMap<>(Map.of("--duration", "10", "--warmup", "3"));
        for (int i = 0; i + 1 < args.length; i += 2) opts.put(args[i], args[i + 1]);
        String url = opts.get("--url");
        String key = opts.get("--key");
        String tool = opts.get("--tool");
        long flow = Long.parseLong(opts.get("--flow"));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        McpSyncClient sdk = McpClient.sync(HttpClientStreamableHttpTransport.builder(url).endpoint("/mcp")
                .httpRequestCustomizer((request, method, uri, body, context) -> request.header("Authorization",
                        "Bearer " + key)).build()).requestTimeout(Duration.ofSeconds(30)).build();
        sdk.initialize();
        String raw = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool
                + "\",\"arguments\":{\"name\":\"Ada\"}}}";
        String execute = "{\"node_settings\":{\"start\":{\"data\":{\"name\":\"Ada\"}}}}";
        List<Supplier<Boolean>> ways = List.of(
                () -> {
                    McpSchema.CallToolResult result = sdk.callTool(new McpSchema.CallToolRequest(tool, Map.of("name", "Ada")));
                    return !Boolean.TRUE.equals(result.isError()) && "Hello, Ada!".equals(
                            ((Map<?, ?>) result.structuredContent()).get("greeting"));
                },
                () -> post(http, url + "/mcp", raw, "Bearer " + key).contains("\"structuredContent\":{\"greeting\":\"Hello, Ada!\"}"),
                () -> post(http, url + "/api/v1/scade/flow/" + flow + "/execute?wait=5", execute, "Basic " + key)
                        .contains("\"greeting\":\"Hello, Ada!\""));
        String[] names = {"sdk", "raw", "execute"};
        List<List<Long>> samples = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        long warmupEnd = System.nanoTime() + Long.parseLong(opts.get("--warmup")) * 1_000_000_000L;
        while (System.nanoTime() < warmupEnd) for (Supplier<Boolean> way : ways) check(way.get());
        int rounds = Integer.parseInt(opts.get("--duration"));
        for (int round = 0; round < rounds; round++) {
            for (int w = 0; w < ways.size(); w++) {
                long end = System.nanoTime() + 1_000_000_000L / ways.size();
                while (System.nanoTime() < end) {
                    long start = System.nanoTime();
                    boolean ok = ways.get(w).get();
                    samples.get(w).add(System.nanoTime() - start);
                    check(ok);
                }
            }
        }
        sdk.closeGracefully();
        StringBuilder json = new StringBuilder("{\"concurrency\":1");
        double[] p50 = new double[3];
        for (int w = 0; w < 3; w++) {
            long[] sorted = samples.get(w).stream().mapToLong(Long::longValue).sorted().toArray();
            p50[w] = ms(sorted, 0.50);
            json.append(String.format(Locale.ROOT, ",\"%s\":{\"calls\":%d,\"p50_ms\":%.2f,\"p90_ms\":%.2f,\"p99_ms\":%.2f}",
                    names[w], sorted.length, p50[w], ms(sorted, 0.90), ms(sorted, 0.99)));
        }
        json.append(String.format(Locale.ROOT, ",\"sdk_over_execute_p50\":%.2f,\"raw_over_execute_p50\":%.2f}",
                p50[0] / p50[2], p50[1] / p50[2]));
        System.out.println(json);
    }

    private static void check(boolean ok) {
        if (!ok) throw new IllegalStateException("a call did not answer the flow's output");
    }

    private static double ms(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))] / 1e6;
    }

    private static String post(HttpClient http, String url, String body, String authorization) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                    .header("Accept", "application/json, text/event-stream").header("Authorization", authorization)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
