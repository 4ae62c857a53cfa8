package dev.weft.builtin;

import dev.weft.node.NetworkFailure;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ProxyAuthenticationProtocolHandler;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.WWWAuthenticationProtocolHandler;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * Sends one hop of the {@code http} node with Jetty's HTTP client (the version the server runs), whose answers are
 * read and handed on by its own selector threads: measured alone, it costs a seventh to a tenth of the JDK client's
 * CPU per call, which hands every stage of an exchange to its executor. One client serves every http node of the
 * process; it keeps HTTP/1.1 connections alive per origin (idle ones close after 30 s, as the JDK client's do).
 *
 * <p>It behaves as the JDK client did for the node: no redirects followed (the {@link Fetch} follows them, each
 * hop passing the {@link AddressGuard}), no cookies kept, no authentication answered on the node's behalf, no
 * compression asked for or undone, no content type added, the JDK client's user agent unless the flow sets one,
 * the body collected up to a limit ({@link LimitedBody.TooLarge} past it, at once when a declared length is over).
 * Plain http and https alike speak HTTP/1.1 (the JDK client negotiated HTTP/2 on https).
 */
final class JettyExchange implements Fetch.Exchange {

    /** The user agent the JDK client sent, kept so that upstreams see what they saw before. */
    static final String USER_AGENT = "Java-http-client/" + System.getProperty("java.version");
    /** How long a kept-alive connection may stay idle, and the most connections to one origin. */
    static final Duration IDLE = Duration.ofSeconds(30);
    static final int MAX_CONNECTIONS_PER_ORIGIN = 4096;
    /** Selector threads: they read the answers and run what completes them. */
    static final int SELECTORS = 2;
    /** The methods RFC 9110 calls idempotent: sent again when the connection closed before any answer. */
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE");
    /** The tag of a request sent again: its own destination, whose connections serve one request each. */
    private static final Object FRESH = "weft-http-node-resend";

    /** The one client of the process, started on first use; its threads are daemons. */
    private static final class Shared {
        static final JettyExchange EXCHANGE = new JettyExchange(start());
    }

    private final org.eclipse.jetty.client.HttpClient client;

    private JettyExchange(org.eclipse.jetty.client.HttpClient client) {
        this.client = client;
    }

    static JettyExchange shared() {
        return Shared.EXCHANGE;
    }

    private static org.eclipse.jetty.client.HttpClient start() {
        QueuedThreadPool pool = new QueuedThreadPool(Math.max(8, 4 * Runtime.getRuntime().availableProcessors()), 2);
        pool.setName("weft-http-client");
        pool.setDaemon(true);
        // Answers are read and handed on by the selector threads themselves, not dispatched to the pool: what runs
        // there (collecting the body, the fetch's next step, the node's reading of the answer, the hand-over to the
        // engine's thread) never blocks. Measured, this halves the client's CPU per call again. A large answer's
        // parse (JSON of up to the body limit) delays the other answers of its selector for that long: two selectors.
        HttpClientTransportOverHTTP transport = new HttpClientTransportOverHTTP(SELECTORS);
        transport.setInvocationType(Invocable.InvocationType.NON_BLOCKING);
        org.eclipse.jetty.client.HttpClient client = new org.eclipse.jetty.client.HttpClient(transport);
        client.setName("weft-http-client");
        client.setExecutor(pool);
        client.setScheduler(new ScheduledExecutorScheduler("weft-http-client-timer", true));
        client.setFollowRedirects(false);
        client.setConnectTimeout(HttpNode.CONNECT_TIMEOUT.toMillis());
        client.setIdleTimeout(IDLE.toMillis());
        client.setMaxConnectionsPerDestination(MAX_CONNECTIONS_PER_ORIGIN);
        client.setMaxRequestsQueuedPerDestination(MAX_CONNECTIONS_PER_ORIGIN);
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        client.setDefaultRequestContentType(null);
        client.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, USER_AGENT));
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("the http node's client did not start", e);
        }
        // the client installs these as it starts
        client.getContentDecoderFactories().clear();
        client.getProtocolHandlers().remove(WWWAuthenticationProtocolHandler.NAME);
        client.getProtocolHandlers().remove(ProxyAuthenticationProtocolHandler.NAME);
        return client;
    }

    @Override
    public CompletableFuture<HttpResponse<byte[]>> send(Hop hop, Duration left, long maxBytes) {
        hop.checkHeaders();
        CompletableFuture<HttpResponse<byte[]>> answer = new CompletableFuture<>();
        attempt(hop, left, maxBytes, answer, false);
        return answer;
    }

    /**
     * Sends the hop once. A kept-alive connection the upstream closed while the request went out (it closes idle
     * connections when it likes, or many at once past its own limit of idle ones: the request and the close cross on
     * the wire) fails before any answer; an idempotent request is then sent once more, as the JDK client and browsers
     * do (RFC 9110, 9.2.2), on a connection opened for it alone: a request of its own {@linkplain Request#tag tag}
     * (a destination whose connections are never shared) with {@code Connection: close}. Another pooled connection
     * could be one the upstream is closing too; a new one cannot.
     */
    private void attempt(Hop hop, Duration left, long maxBytes, CompletableFuture<HttpResponse<byte[]>> answer,
                         boolean fresh) {
        Request request = client.newRequest(hop.uri()).method(hop.method())
                // an exchange stays alive while its deadline (the Fetch's) has not passed, however slow the upstream
                .idleTimeout(left.toMillis() + 1_000, TimeUnit.MILLISECONDS)
                .headers(fields -> {
                    // a User-Agent of the flow's replaces the client's; every other header goes as given
                    if (hop.headers().keySet().stream().anyMatch(HttpHeader.USER_AGENT::is)) {
                        fields.remove(HttpHeader.USER_AGENT);
                    }
                    hop.headers().forEach(fields::add);
                    if (fresh) fields.put(HttpHeader.CONNECTION, "close");
                });
        if (fresh) request.tag(FRESH);
        if (hop.body() != null) request.body(new BytesRequestContent((String) null, hop.body()));
        // the Fetch's deadline, a cancelled step or a failed fetch ends the exchange in flight
        answer.whenComplete((done, error) -> {
            if (error != null) request.abort(error);
        });
        Runnable again = !fresh && IDEMPOTENT.contains(hop.method()) ? () -> attempt(hop, left, maxBytes, answer, true)
                : null;
        request.send(new Collect(hop, maxBytes, hop.method().equals("HEAD"), answer, again));
    }

    /** Collects the answer's body up to the limit and completes the future with the whole answer. */
    private static final class Collect implements Response.Listener {
        private final Hop hop;
        private final long limit;
        private final boolean head;
        private final CompletableFuture<HttpResponse<byte[]>> answer;
        /** Sends the request once more on a new connection (see {@link #attempt}), or null when it may not be. */
        private final Runnable again;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private volatile boolean begun;

        Collect(Hop hop, long limit, boolean head, CompletableFuture<HttpResponse<byte[]>> answer, Runnable again) {
            this.hop = hop;
            this.limit = limit;
            this.head = head;
            this.answer = answer;
            this.again = again;
        }

        @Override
        public void onBegin(Response response) {
            begun = true;
        }

        @Override
        public void onHeaders(Response response) {
            // HEAD's Content-Length describes a body that never comes
            long declared = head ? -1 : response.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
            if (declared > limit) response.abort(new LimitedBody.TooLarge(limit));
        }

        @Override
        public void onContent(Response response, ByteBuffer content) {
            if (bytes.size() + (long) content.remaining() > limit) {
                response.abort(new LimitedBody.TooLarge(limit));
                return;
            }
            if (content.hasArray()) {
                bytes.write(content.array(), content.arrayOffset() + content.position(), content.remaining());
                content.position(content.limit());
            } else {
                byte[] chunk = new byte[content.remaining()];
                content.get(chunk);
                bytes.writeBytes(chunk);
            }
        }

        @Override
        public void onComplete(Result result) {
            if (result.isFailed()) {
                if (again != null && !begun && !answer.isDone()
                        && NetworkFailure.closedBeforeAnswer(result.getFailure())) {
                    again.run();
                    return;
                }
                answer.completeExceptionally(result.getFailure());
                return;
            }
            Response response = result.getResponse();
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (HttpField field : response.getHeaders()) {
                headers.computeIfAbsent(field.getName(), k -> new ArrayList<>(1)).add(field.getValue());
            }
            answer.complete(new Answered(hop.uri(), response.getStatus(), HttpHeaders.of(headers, (n, v) -> true),
                    bytes.toByteArray()));
        }
    }

    /** An answer in the JDK's shape, so that what reads answers ({@link HttpNode}, {@link Fetch}) stays as it was. */
    private record Answered(URI uri, int statusCode, HttpHeaders headers, byte[] body)
            implements HttpResponse<byte[]> {

        /** Not kept: nothing reads it, and the request was never a JDK one. */
        @Override
        public HttpRequest request() {
            throw new UnsupportedOperationException("an answer of the http node's client keeps no JDK request");
        }

        @Override
        public Optional<HttpResponse<byte[]>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }
}
