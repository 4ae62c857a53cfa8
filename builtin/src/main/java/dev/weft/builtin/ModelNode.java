package dev.weft.builtin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.engine.Timer;
import dev.weft.node.Credentials;
import dev.weft.node.NodeCall;
import dev.weft.node.NodeOutput;
import dev.weft.node.NodeType;
import dev.weft.node.Problems;
import dev.weft.node.Run;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The {@code model} node: runs a model on a prediction API, Replicate's. It creates a prediction
 * ({@code POST /models/{owner}/{name}/predictions} with {@code {"input": ...}}, or {@code POST /predictions} with
 * {@code {"version", "input"}}; {@code Prefer: wait=N} when {@code wait} is set), then reads it again at
 * {@code urls.get} on the engine's timer until its status is {@code succeeded}, {@code failed} or {@code canceled}
 * (see {@link PredictionRun}). Input values that are this Weft's files go as data URLs; the output's files are stored
 * in Weft's file store (see {@link PredictionFiles}).
 *
 * <p>Output: {@code output} (the model's output with file URLs replaced by Weft file URLs), {@code status},
 * {@code id}, {@code metrics}, {@code files} ({@code [{url, file_id, name, content_type, size}]}). A prediction that
 * fails or is cancelled fails the step with {@value #FAILED} and the API's error text; one still running at the
 * step's time limit (or when the task is cancelled) is cancelled. 429 and 5xx answers are retried as in {@code llm}.
 */
public final class ModelNode implements NodeType {

    public static final String TYPE = "model";
    /** The prediction ended {@code failed} or {@code canceled}. */
    public static final String FAILED = "prediction_failed";
    /** A non-2xx answer of the prediction API; retryable for 429 and 5xx. */
    public static final String STATUS = "model_status";
    /** A failed exchange with the prediction API (no connection, an unreadable answer). Retryable. */
    public static final String ERROR = "model_error";
    /** An output that cannot be stored as it is (too many files, a broken data URL). */
    public static final String OUTPUT = "model_output_invalid";

    private final Credentials credentials;
    private final long fileMaxBytes;
    private final PredictionRun.Wire wire;

    /** A model node on a server's (or a local run's) services, as the registry makes it. */
    public ModelNode(BuiltinNodes.Services services) {
        this(services.http(), services.credentials(), services.runs(), services.timer(), services.clock(),
                services.files(), services.fileMaxBytes());
    }

    /**
     * A model node that follows the http node's network rules ({@code options}), reads the API token from
     * {@code credentials}, waits on {@code timer} (null: a timer thread of its own), runs its file work on
     * {@code runs}' node pool and keeps files in {@code files}, each at most {@code fileMaxBytes}.
     */
    ModelNode(HttpNode.Options options, Credentials credentials, FlowRuns runs, Timer timer, Clock clock,
              FileSink files, long fileMaxBytes) {
        this(options, options.allowPrivate() ? AddressGuard.allowingPrivate() : AddressGuard.publicOnly(), credentials,
                runs, timer == null ? Async.sharedTimer() : timer, clock, files, fileMaxBytes);
    }

    ModelNode(HttpNode.Options options, AddressGuard guard, Credentials credentials, FlowRuns runs, Timer timer,
              Clock clock, FileSink files, long fileMaxBytes) {
        var client = Fetch.client(HttpNode.CONNECT_TIMEOUT);
        this.credentials = credentials;
        this.fileMaxBytes = fileMaxBytes;
        this.wire = new PredictionRun.Wire(client, guard, options.maxResponseBytes(), timer, clock, runs,
                new PredictionFiles(files, fileMaxBytes, client, guard, options.maxRedirects()));
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
        ModelSettings.check(settings, problems, true);
    }

    /** Starts one attempt; the stage completes with the output, or fails with the step's error. */
    public CompletionStage<NodeOutput> runAsync(NodeCall call) {
        ModelSettings settings;
        String secret;
        try {
            settings = ModelSettings.read(call.settings(), call.timeout(), fileMaxBytes);
            secret = settings.credential() == null ? null : StoredSecrets.secretFor(credentials.forTask(call.taskId()),
                    settings.credential(), settings.createEndpoint(), "credential");
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return new PredictionRun(call, settings, secret, wire).start();
    }

    /** Runs one attempt on this thread, for callers without the engine. */
    public NodeOutput run(NodeCall call) throws Exception {
        return Async.await(runAsync(call));
    }
}
