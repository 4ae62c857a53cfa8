package dev.weft.builtin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.concurrent.Causes;
import dev.weft.engine.Timer;
import dev.weft.json.Json;
import dev.weft.node.Deltas;
import dev.weft.node.NodeCall;
import dev.weft.node.NodeException;
import dev.weft.node.NodeOutput;
import dev.weft.node.Problems;
import dev.weft.node.RetryAfter;
import dev.weft.task.ErrorTypes;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

/**
 * One attempt of an {@code agent} step: resolves the tools, loads the session's memory, then alternates model calls
 * and tool calls, each recorded in the step's journal as it finishes and replayed from it when recorded before
 * (see {@link AgentNode}). Turns follow each other; only the tool calls of one turn run at once, so the
 * conversation's state is touched by one stage at a time.
 */
final class AgentRun {

    private final NodeCall call;
    private final AgentSettings settings;
    private final String secret;
    private final AgentTools.Parts parts;
    private final Conversations conversations;
    private final ModelTransport transport;
    private final Timer timer;
    private final Clock clock;
    private final Images images;
    /** The images of this run's prompt, resolved once before the first model call. */
    private List<Images.Image> promptImages = List.of();
    private final URI endpoint;
    private final long deadline;
    private final CompletableFuture<NodeOutput> answer = new CompletableFuture<>();
    /** What stops the work in flight when the attempt ends early: HTTP exchanges, child tasks, timers. */
    private final Queue<Runnable> stops = new ConcurrentLinkedQueue<>();
    /** The step's deltas, counting the characters of streamed text shown. */
    private final Deltas shownText;
    private volatile long shownChars;

    private Map<String, AgentTools.Tool> tools = Map.of();
    private final List<ObjectNode> messages = new ArrayList<>();
    private int remembered;
    private final ArrayNode toolCalls = Json.MAPPER.createArrayNode();
    private int toolErrors;
    private int inputTokens;
    private int outputTokens;

    AgentRun(NodeCall call, AgentSettings settings, String secret, AgentTools.Parts parts, Conversations conversations,
             ModelTransport transport, Timer timer, Clock clock, Images images) {
        this.call = call;
        this.settings = settings;
        this.secret = secret;
        this.parts = parts;
        this.conversations = conversations;
        this.transport = transport;
        this.timer = timer;
        this.clock = clock;
        this.images = images;
        this.endpoint = settings.provider().endpoint(settings.baseUrl());
        this.deadline = System.nanoTime() + settings.timeout().toNanos();
        Deltas downstream = call.deltas();
        this.shownText = new Deltas() {
            @Override
            public void text(String text) {
                shownChars += text.length();   // one stream at a time writes it
                downstream.text(text);
            }
        };
    }

    CompletableFuture<NodeOutput> start() {
        Runnable limit = timer.schedule(clock.instant().plus(settings.timeout()), () -> answer.completeExceptionally(
                new NodeException(ErrorTypes.TIMEOUT, "the agent gave no answer within " + settings.timeout().toMillis()
                        + " ms", true)));
        answer.whenComplete((done, error) -> {
            limit.run();
            for (Runnable stop; (stop = stops.poll()) != null; ) stop.run();
        });
        CompletableFuture<List<Images.Image>> pictures = settings.images().isEmpty()
                ? CompletableFuture.completedFuture(List.of())
                : parts.blocking(() -> images.resolve(settings.images()));   // reading a Weft file blocks
        pictures.thenCompose(resolved -> {
                    promptImages = resolved;
                    return AgentTools.resolve(settings.tools(), parts);
                })
                .thenCompose(resolved -> {
                    tools = resolved;
                    return memory();
                })
                .thenCompose(history -> {
                    messages.addAll(history);
                    remembered = history.size();
                    ObjectNode prompt = Json.object().put("role", "user").put("content", settings.user());
                    // the messages name the images as given; only the model call carries them inline
                    if (!settings.images().isEmpty()) settings.images().forEach(prompt.putArray("images")::add);
                    messages.add(prompt);
                    return turn(1);
                })
                .whenComplete((output, error) -> {
                    if (error != null) answer.completeExceptionally(Causes.unwrap(error));
                    else answer.complete(output);
                });
        return answer;
    }

    /** Registers what stops a piece of work in flight; runs it at once when the attempt has ended. */
    private void onStop(Runnable stop) {
        stops.add(stop);
        if (answer.isDone() && stops.remove(stop)) stop.run();
    }

    // ---- memory ----

    private CompletionStage<List<ObjectNode>> memory() {
        String session = settings.sessionId();
        if (session == null) return CompletableFuture.completedFuture(List.of());
        return call.journal().once("memory", () -> parts.blocking(() -> {
            List<ObjectNode> kept = capped(conversations.load(call.taskId(), session));
            ArrayNode array = Json.MAPPER.createArrayNode();
            kept.forEach(array::add);
            return (JsonNode) Json.object().set("messages", array);
        })).thenApply(recorded -> {
            List<ObjectNode> history = new ArrayList<>();
            recorded.path("messages").forEach(m -> history.add((ObjectNode) m.deepCopy()));
            return history;
        });
    }

    /** The newest messages within the caps, starting at a user message (a tool result never comes first). */
    private List<ObjectNode> capped(List<ObjectNode> loaded) {
        List<ObjectNode> kept = new ArrayList<>(loaded);
        while (kept.size() > settings.memoryMaxMessages()) kept.remove(0);
        if (settings.memoryMaxTokens() > 0) {
            long tokens = kept.stream().mapToLong(AgentRun::tokens).sum();
            while (!kept.isEmpty() && tokens > settings.memoryMaxTokens()) tokens -= tokens(kept.remove(0));
        }
        while (!kept.isEmpty() && !"user".equals(kept.get(0).path("role").asText())) kept.remove(0);
        return kept;
    }

    /** About four characters a token: an estimate, enough for a cap. */
    static long tokens(ObjectNode message) {
        return (Json.write(message).length() + 3) / 4;
    }

    // ---- the loop ----

    private CompletionStage<NodeOutput> turn(int n) {
        if (answer.isDone()) return CompletableFuture.failedFuture(new CancellationException("the step stopped"));
        return call.journal().once("model:" + n, () -> ask(n)).thenCompose(recorded -> {
            LlmAnswer said = answerOf(recorded);
            inputTokens += said.inputTokens();
            outputTokens += said.outputTokens();
            ObjectNode assistant = Json.object().put("role", "assistant").put("content", said.text());
            List<LlmAnswer.ToolCall> calls = new ArrayList<>();
            for (int i = 0; i < said.toolCalls().size(); i++) {
                LlmAnswer.ToolCall c = said.toolCalls().get(i);
                calls.add(new LlmAnswer.ToolCall(c.id().isEmpty() ? "call_" + n + "_" + i : c.id(), c.name(),
                        c.arguments()));
            }
            if (!calls.isEmpty()) {
                ArrayNode wire = assistant.putArray("tool_calls");
                for (LlmAnswer.ToolCall c : calls) {
                    wire.addObject().put("id", c.id()).put("name", c.name()).set("arguments", argumentsValue(c.arguments()));
                }
            }
            messages.add(assistant);
            if (calls.isEmpty()) return finish(said, n);
            if (n >= settings.maxIterations()) {
                throw new NodeException(AgentNode.MAX_ITERATIONS, "the model still asked for tools ("
                        + calls.stream().map(LlmAnswer.ToolCall::name).distinct().collect(Collectors.joining(", "))
                        + ") after " + n + " model calls, the step's max_iterations", false);
            }
            List<CompletableFuture<JsonNode>> results = new ArrayList<>();
            for (int i = 0; i < calls.size(); i++) {
                LlmAnswer.ToolCall c = calls.get(i);
                String key = n + ":" + i;
                results.add(call.journal().once("tool:" + key, () -> runTool(c, key)).toCompletableFuture());
            }
            return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).thenCompose(all -> {
                for (int i = 0; i < calls.size(); i++) addResult(calls.get(i), results.get(i).join());
                return turn(n + 1);
            });
        });
    }

    /** The tool call's record in the output and its message to the model. */
    private void addResult(LlmAnswer.ToolCall c, JsonNode recorded) {
        boolean ok = recorded.path("ok").asBoolean();
        ObjectNode entry = toolCalls.addObject().put("id", c.id()).put("name", c.name());
        entry.set("arguments", argumentsValue(c.arguments()));
        entry.put("ok", ok);
        if (ok) entry.set("result", recorded.get("result"));
        else entry.put("error", recorded.path("error").asText());
        entry.put("duration_ms", recorded.path("duration_ms").asLong());
        if (recorded.has("task_id")) entry.put("task_id", recorded.get("task_id").asLong());
        if (!ok) toolErrors++;
        JsonNode result = recorded.get("result");
        String content = ok ? (result == null || result.isNull() ? "" : result.isTextual() ? result.asText()
                : Json.write(result)) : "error: " + recorded.path("error").asText();
        ObjectNode message = Json.object().put("role", "tool").put("tool_call_id", c.id()).put("name", c.name())
                .put("content", content);
        if (!ok) message.put("is_error", true);
        messages.add(message);
    }

    private CompletionStage<NodeOutput> finish(LlmAnswer said, int iterations) {
        ObjectNode data = Json.object();
        data.put("text", said.text());
        if (settings.json()) {
            try {
                data.set("json", LlmNode.parsed(said, settings.jsonSchema()));
            } catch (NodeException e) {
                // the answer is recorded: another attempt would replay the same one
                throw new NodeException(e.type(), e.getMessage(), false);
            }
        }
        ArrayNode all = data.putArray("messages");
        messages.forEach(all::add);
        data.set("tool_calls", toolCalls);
        data.put("tool_errors", toolErrors);
        data.putObject("usage").put("input_tokens", inputTokens).put("output_tokens", outputTokens)
                .put("total_tokens", inputTokens + outputTokens);
        data.put("iterations", iterations);
        data.put("finish_reason", said.finishReason());
        data.put("model", said.model().isEmpty() ? settings.model() : said.model());
        if (!settings.stream()) call.deltas().text(said.text());   // streamed, it was shown as it came
        data.put("provider", settings.provider().id());
        NodeOutput output = NodeOutput.success(data);
        String session = settings.sessionId();
        if (session == null) return CompletableFuture.completedFuture(output);
        List<ObjectNode> turn = List.copyOf(messages.subList(remembered, messages.size()));
        return parts.blocking(() -> {
            conversations.append(call.taskId(), call.nodeId(), session, turn,
                    new Conversations.Cap(settings.memoryMaxMessages(), settings.memoryMaxTokens()));
            return output;
        });
    }

    // ---- tools ----

    /** Runs one tool call; the stage never fails: a failure is recorded as the call's result. */
    private CompletionStage<JsonNode> runTool(LlmAnswer.ToolCall c, String key) {
        long started = System.nanoTime();
        JsonNode arguments = argumentsValue(c.arguments());
        call.deltas().toolStarted(c.id(), c.name(), arguments);
        CompletionStage<AgentTools.Result> work;
        AgentTools.Tool tool = tools.get(c.name());
        if (tool == null) {
            work = CompletableFuture.failedFuture(new NodeException("tool_unknown", "there is no tool named '"
                    + c.name() + "'; the tools are: " + String.join(", ", tools.keySet())));
        } else if (!arguments.isObject()) {
            work = CompletableFuture.failedFuture(new NodeException("tool_arguments", "the arguments of '" + c.name()
                    + "' must be a JSON object (got " + (arguments.isTextual() ? "text that is not JSON: "
                    + begin(arguments.asText()) : Settings.describe(arguments)) + ")"));
        } else {
            Problems problems = new Problems();
            tool.schema().check(arguments, problems);
            if (!problems.isEmpty()) {
                work = CompletableFuture.failedFuture(new NodeException("tool_arguments", "the arguments of '"
                        + c.name() + "' do not match its schema: " + problems.list().stream().map(p ->
                        p.field().isEmpty() ? p.message() : p.field() + ": " + p.message())
                        .collect(Collectors.joining("; "))));
            } else {
                try {
                    work = tool.call((ObjectNode) arguments, new AgentTools.Invocation(call.taskId(), call.nodeId(), key, deadline,
                            call.journal().recorded(), value -> call.journal().record("child:" + key, value),
                            this::onStop));
                } catch (RuntimeException e) {
                    work = CompletableFuture.failedFuture(e);
                }
            }
        }
        return work.handle((result, error) -> {
            long ms = (System.nanoTime() - started) / 1_000_000;
            ObjectNode recorded = Json.object();
            if (error == null) {
                recorded.put("ok", true).set("result", result.value() == null ? Json.MAPPER.nullNode() : result.value());
                if (result.taskId() != null) recorded.put("task_id", result.taskId());
            } else {
                Throwable cause = Causes.unwrap(error);
                String message = cause instanceof java.io.IOException ? dev.weft.node.NetworkFailure.describe(cause, null)
                        : dev.weft.node.NetworkFailure.message(cause);
                recorded.put("ok", false).put("error", (cause instanceof NodeException e ? e.type() + ": " : "") + message);
            }
            recorded.put("duration_ms", ms);
            call.deltas().toolEnded(c.id(), c.name(), error == null, ms);
            return (JsonNode) recorded;
        });
    }

    /** The arguments as the JSON value they are, or the text as written when it is not JSON. */
    static JsonNode argumentsValue(String arguments) {
        if (arguments == null || arguments.isBlank()) return Json.object();
        try {
            return Json.MAPPER.readTree(arguments);
        } catch (JsonProcessingException e) {
            return Json.MAPPER.getNodeFactory().textNode(arguments);
        }
    }

    private static String begin(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }

    // ---- the model ----

    private CompletionStage<JsonNode> ask(int n) {
        List<LlmChat.Tool> offered = tools.values().stream().map(AgentTools.Tool::spec).toList();
        LlmChat chat = new LlmChat(settings.model(), settings.system(), messages, offered,
                offered.isEmpty() ? null : settings.toolChoice(), settings.temperature(), settings.maxTokens(),
                settings.json(), settings.jsonSchema(), promptImages);
        ObjectNode request = settings.provider().chatBody(chat);
        byte[] body = Json.bytes(settings.stream() ? settings.provider().streaming(request) : request);
        return send(body, 0).thenApply(AgentRun::recordOf);
    }

    private CompletionStage<LlmAnswer> send(byte[] body, int retry) {
        if (answer.isDone()) return CompletableFuture.failedFuture(new CancellationException("the step stopped"));
        if (deadline - System.nanoTime() <= 0) return CompletableFuture.failedFuture(timedOut());
        CompletableFuture<ModelTransport.Reply> reply;
        try {
            reply = transport.post(endpoint, settings.provider().headers(secret), body, deadline,
                    settings.stream() ? new ModelTransport.Streamed(settings.provider(), where(), shownText) : null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        onStop(() -> reply.cancel(true));
        long shownBefore = shownChars;
        return reply.handle((answered, error) -> {
            if (error != null) {
                Throwable cause = Causes.unwrap(error);
                long shown = shownChars - shownBefore;   // of this request's answer
                NodeException failure = LlmStream.afterText(transportFailure(cause), cause, where(), shown);
                // a stream cut after some text was shown is not retried here: watchers would see the text twice
                if (!LlmNode.ERROR.equals(failure.type()) || !failure.retryable() || retry >= settings.maxRetries()
                        || shown > 0) {
                    return CompletableFuture.<LlmAnswer>failedFuture(failure);
                }
                return later(LlmNode.backoff(retry), failure).thenCompose(v -> send(body, retry + 1));
            }
            int status = answered.status();
            if (status >= 200 && status <= 299) {
                if (answered.answer() != null) return CompletableFuture.completedFuture(answered.answer());
                try {
                    return CompletableFuture.completedFuture(settings.provider().answer(readJson(answered)));
                } catch (NodeException e) {
                    return CompletableFuture.<LlmAnswer>failedFuture(e);
                }
            }
            NodeException failure = statusFailure(answered);
            if (!LlmNode.RETRIED.contains(status) || retry >= settings.maxRetries()) {
                return CompletableFuture.<LlmAnswer>failedFuture(failure);
            }
            Duration wait = RetryAfter.parse(answered.retryAfter(), clock.instant()).orElse(LlmNode.backoff(retry));
            return later(wait, failure).thenCompose(v -> send(body, retry + 1));
        }).thenCompose(stage -> stage);
    }

    /** Completes after {@code wait} on the timer, unless that passes the time limit: then {@code failure} stands. */
    private CompletableFuture<Void> later(Duration wait, NodeException failure) {
        if (wait.toNanos() >= deadline - System.nanoTime()) {
            return CompletableFuture.failedFuture(new NodeException(failure.type(), failure.getMessage() + " (a retry"
                    + " in " + wait.toMillis() + " ms would pass the time limit of " + settings.timeout().toMillis()
                    + " ms)", true));
        }
        CompletableFuture<Void> waited = new CompletableFuture<>();
        Runnable cancel = timer.schedule(clock.instant().plus(wait), () -> waited.complete(null));
        onStop(cancel);
        return waited;
    }

    private NodeException transportFailure(Throwable error) {
        Hop hop = new Hop("POST", endpoint, Map.of(), null);
        NodeException failure = Fetch.failure(hop, settings.timeout(), error, "answer", h -> new NodeException(
                LlmNode.ERROR, where() + " answered with a body over the limit of "
                + parts.http().maxResponseBytes() + " bytes", false));
        if (ErrorTypes.TIMEOUT.equals(failure.type())) return timedOut();
        if (HttpNode.ERROR.equals(failure.type())) {
            return new NodeException(LlmNode.ERROR, settings.provider().id() + " " + redact(failure.getMessage()),
                    failure.retryable());
        }
        return failure;
    }

    private JsonNode readJson(ModelTransport.Reply reply) {
        try {
            return Json.MAPPER.readTree(reply.body());
        } catch (IOException e) {
            throw new NodeException(LlmNode.ERROR, where() + " answered " + reply.status()
                    + " with a body that is not JSON", true);
        }
    }

    private NodeException statusFailure(ModelTransport.Reply reply) {
        String text = ResponseMode.text(reply.body(), reply.contentType());
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(text);
        } catch (IOException e) {
            body = null;
        }
        return new NodeException(LlmNode.STATUS, where() + " answered " + reply.status() + ": "
                + redact(LlmProvider.errorMessage(body, text)), LlmNode.RETRIED.contains(reply.status()));
    }

    private NodeException timedOut() {
        return new NodeException(ErrorTypes.TIMEOUT, "the agent gave no answer within " + settings.timeout().toMillis()
                + " ms (" + where() + ")", true);
    }

    private String where() {
        return settings.provider().id() + " " + Hop.display(endpoint);
    }

    private String redact(String message) {
        return secret == null || secret.length() < 4 ? message : message.replace(secret, "***");
    }

    /** What the journal keeps of a model answer: enough to replay the turn. */
    static JsonNode recordOf(LlmAnswer said) {
        ObjectNode recorded = Json.object().put("text", said.text());
        ArrayNode calls = recorded.putArray("tool_calls");
        said.toolCalls().forEach(c -> calls.addObject().put("id", c.id()).put("name", c.name())
                .put("arguments", c.arguments()));
        return recorded.put("model", said.model()).put("finish_reason", said.finishReason())
                .put("input_tokens", said.inputTokens()).put("output_tokens", said.outputTokens());
    }

    static LlmAnswer answerOf(JsonNode recorded) {
        List<LlmAnswer.ToolCall> calls = new ArrayList<>();
        recorded.path("tool_calls").forEach(c -> calls.add(new LlmAnswer.ToolCall(c.path("id").asText(),
                c.path("name").asText(), c.path("arguments").asText())));
        return new LlmAnswer(recorded.path("text").asText(), Collections.unmodifiableList(calls),
                recorded.path("model").asText(), recorded.path("finish_reason").asText(),
                recorded.path("input_tokens").asInt(), recorded.path("output_tokens").asInt());
    }
}
