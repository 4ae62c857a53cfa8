package dev.weft.builtin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.concurrent.Causes;
import dev.weft.json.Json;
import dev.weft.node.Credentials;
import dev.weft.node.NodeCall;
import dev.weft.node.NodeException;
import dev.weft.node.NodeOutput;
import dev.weft.node.NodeType;
import dev.weft.node.Problems;
import dev.weft.node.Run;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;

/**
 * The {@code http} node: makes one HTTP request and emits the answer's {@code status}, {@code headers} and
 * {@code body}. It follows redirects itself so that every hop passes the {@link AddressGuard}, bounds the whole
 * exchange by {@code timeout_ms} and the body by a size limit, and fails on a non-2xx answer unless told not to.
 */
public final class HttpNode implements NodeType {

    public static final String TYPE = "http";
    /** The error type of a connection or I/O failure: retryable. */
    public static final String ERROR = "http_error";
    /** The error type of a non-2xx answer; retryable for 429 and 5xx. */
    public static final String STATUS = "http_status";
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final int STATUS_BODY_CHARS = 200;

    /** What the operator decides for every http node: private addresses, the body size limit, redirects. */
    public record Options(boolean allowPrivate, long maxResponseBytes, int maxRedirects) {

        public static final long MAX_RESPONSE_BYTES_DEFAULT = 10L * 1024 * 1024;
        public static final int MAX_REDIRECTS_DEFAULT = 5;
        public static final Options DEFAULT = new Options(false, MAX_RESPONSE_BYTES_DEFAULT, MAX_REDIRECTS_DEFAULT);

        public Options {
            if (maxResponseBytes < 1) throw new IllegalArgumentException("maxResponseBytes must be positive");
            if (maxRedirects < 0) throw new IllegalArgumentException("maxRedirects must not be negative");
        }

        /** The defaults, with private addresses allowed when {@value AddressGuard#ALLOW_PRIVATE_ENV} is true. */
        public static Options fromEnvironment(Map<String, String> env) {
            boolean allow = "true".equalsIgnoreCase(env.getOrDefault(AddressGuard.ALLOW_PRIVATE_ENV, "").trim());
            return new Options(allow, MAX_RESPONSE_BYTES_DEFAULT, MAX_REDIRECTS_DEFAULT);
        }
    }

    private final Options options;
    private final AddressGuard guard;
    private final Credentials credentials;
    private final Fetch.Exchange client = JettyExchange.shared();

    public HttpNode(Options options) {
        this(options, Credentials.NONE);
    }

    /** {@code credentials}: the stored secrets that {@code auth.credential} names. */
    public HttpNode(Options options, Credentials credentials) {
        this(options, options.allowPrivate() ? AddressGuard.allowingPrivate() : AddressGuard.publicOnly(), credentials);
    }

    /** With a guard of one's own, for tests that need to allow some private addresses and not others. */
    HttpNode(Options options, AddressGuard guard) {
        this(options, guard, Credentials.NONE);
    }

    HttpNode(Options options, AddressGuard guard, Credentials credentials) {
        this.options = options;
        this.guard = guard;
        this.credentials = credentials;
    }

    @Override
    public String id() {
        return TYPE;
    }

    @Override
    public Run run() {
        return Run.async(this::runAsync);
    }

    @Override
    public void check(ObjectNode settings, Problems problems) {
        HttpSettings.check(settings, problems, true);
    }

    public NodeOutput run(NodeCall call) throws Exception {
        return Async.await(runAsync(call));
    }

    public CompletionStage<NodeOutput> runAsync(NodeCall call) {
        HttpSettings settings;
        Hop first;
        Set<String> secretHeaders = Set.of();
        try {
            settings = HttpSettings.read(call.settings(), call.timeout());
            first = settings.request();
            HttpSettings.Auth auth = settings.auth();
            if (auth != null) {
                Credentials.Credential credential = StoredSecrets.credentialFor(credentials.forTask(call.taskId()), auth.credential(),
                        first.uri(), "auth.credential");
                // A basic or headers credential says itself how it is sent; a key or token goes as auth.type says.
                Map<String, String> sent = credential.type().isToken()
                        ? Map.of(auth.headerName(), auth.headerValue(credential.secret())) : credential.headers();
                for (Map.Entry<String, String> header : sent.entrySet()) {
                    first = first.with(header.getKey(), header.getValue());
                }
                secretHeaders = Set.copyOf(sent.keySet());
            }
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        Hop request = first;
        Set<String> stripped = secretHeaders;
        URI origin = request.uri();
        // The stored secret goes only to the origin it was set for, whatever headers carry it.
        UnaryOperator<Hop> onRedirect = stripped.isEmpty() ? hop -> hop : hop -> {
            if (Hop.sameOrigin(origin, hop.uri())) return hop;
            Hop without = hop;
            for (String name : stripped) without = without.with(name, null);
            return without;
        };
        CompletableFuture<Fetch.Answer> fetch = Fetch.start(client, guard, request,
                System.nanoTime() + settings.timeout().toNanos(), options.maxResponseBytes(), options.maxRedirects(),
                onRedirect);
        CompletableFuture<NodeOutput> output = fetch.handle((answered, error) -> {
            if (error != null) {
                throw Fetch.failure(request, settings.timeout(), Causes.unwrap(error), "answer", hop ->
                        new NodeException("response_too_large", hop.display() + " answered with a body over the limit"
                                + " of " + options.maxResponseBytes() + " bytes", false));
            }
            return answer(answered.hop(), answered.response(), settings);
        });
        output.whenComplete((done, error) -> fetch.cancel(true));   // a cancelled step stops the exchange
        return output;
    }

    private static NodeOutput answer(Hop hop, HttpResponse<byte[]> response, HttpSettings settings) {
        int status = response.statusCode();
        Optional<String> contentType = response.headers().firstValue("content-type");
        if (settings.failOnStatus() && (status < 200 || status > 299)) {
            String text = ResponseMode.text(response.body(), contentType);
            throw new NodeException(STATUS, hop.display() + " answered " + status + ": "
                    + (text.length() > STATUS_BODY_CHARS ? text.substring(0, STATUS_BODY_CHARS) : text),
                    status == 429 || status >= 500);
        }
        ObjectNode data = Json.object();
        data.put("status", status);
        ObjectNode headers = data.putObject("headers");
        response.headers().map().forEach((name, values) -> {
            if (!name.startsWith(":") && !values.isEmpty()) headers.put(name.toLowerCase(Locale.ROOT), values.get(0));
        });
        data.set("body", settings.response().read(response.body(), contentType, hop));
        return NodeOutput.success(data);
    }
}
