import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.*;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * CPU per "W3 task" (three parallel GETs to the shared 50 ms upstream on port 18091) of the JDK HttpClient (as the
 * http node used it: HTTP/1.1, a fixed executor of two threads) against Jetty's client (the server's version),
 * with its answers dispatched to its pool ("jetty") or handled on its selector ("jetty-nb", what the http node
 * does). Process CPU (all threads, JIT included) over the tasks finished in the measured window. Run:
 *
 * <pre>
 * java ../shared/bench/Upstream.java 18091 &amp;
 * J=~/.m2/repository/org/eclipse/jetty; V=12.1.12
 * CP=$J/jetty-client/$V/jetty-client-$V.jar:$J/jetty-http/$V/jetty-http-$V.jar:$J/jetty-io/$V/jetty-io-$V.jar:\
 * $J/jetty-util/$V/jetty-util-$V.jar:$J/jetty-alpn-client/$V/jetty-alpn-client-$V.jar:\
 * $(ls ~/.m2/repository/org/slf4j/slf4j-api/2.0.20/slf4j-api-2.0.20.jar)
 * for k in jdk jetty jetty-nb jdk jetty jetty-nb; do java -Xmx256m -XX:+UseSerialGC -cp $CP bench/ClientCost.java $k 64 15 10; done
 * </pre>
 */
public class ClientCost {
    static final AtomicLong tasks = new AtomicLong();
    public static void main(String[] a) throws Exception {
        String kind = a[0]; int clients = Integer.parseInt(a[1]); int warm = Integer.parseInt(a[2]); int secs = Integer.parseInt(a[3]);
        Caller caller;
        if (kind.equals("jdk")) {
            ExecutorService ex = Executors.newFixedThreadPool(2);
            java.net.http.HttpClient c = java.net.http.HttpClient.newBuilder().followRedirects(java.net.http.HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10)).executor(ex).build();
            caller = uri -> c.sendAsync(HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(30)).version(java.net.http.HttpClient.Version.HTTP_1_1).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray()).thenApply(HttpResponse::body);
        } else {
            QueuedThreadPool pool = new QueuedThreadPool(8, 2); pool.setName("jc");
            var transport = new org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP(1);
            if (kind.equals("jetty-nb")) transport.setInvocationType(org.eclipse.jetty.util.thread.Invocable.InvocationType.NON_BLOCKING);
            org.eclipse.jetty.client.HttpClient c = new org.eclipse.jetty.client.HttpClient(transport);
            c.setExecutor(pool); c.setFollowRedirects(false); c.setMaxConnectionsPerDestination(1024);
            c.start();
            caller = uri -> { CompletableFuture<byte[]> f = new CompletableFuture<>();
                c.newRequest(uri).timeout(30, TimeUnit.SECONDS).send(new BufferingResponseListener(10 << 20) {
                    @Override public void onComplete(Result r) { if (r.isFailed()) f.completeExceptionally(r.getFailure()); else f.complete(getContent()); }
                }); return f; };
        }
        for (int i = 0; i < clients; i++) loop(caller);
        Thread.sleep(warm * 1000L);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long c0 = os.getProcessCpuTime(), t0 = tasks.get();
        Thread.sleep(secs * 1000L);
        long c1 = os.getProcessCpuTime(), t1 = tasks.get();
        System.out.printf("%s c=%d: %d tasks/s, %d us cpu/task, threads %d%n", kind, clients, (t1 - t0) / secs, (c1 - c0) / 1000 / Math.max(1, t1 - t0), Thread.activeCount());
        System.exit(0);
    }
    interface Caller { CompletableFuture<byte[]> call(String uri); }
    static void loop(Caller c) {
        CompletableFuture.allOf(c.call("http://127.0.0.1:18091/?ms=50&branch=a"), c.call("http://127.0.0.1:18091/?ms=50&branch=b"),
            c.call("http://127.0.0.1:18091/?ms=50&branch=c")).whenComplete((v, e) -> { if (e != null) e.printStackTrace(); tasks.incrementAndGet(); loop(c); });
    }
}
