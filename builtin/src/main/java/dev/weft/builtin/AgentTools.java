package dev.weft.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.concurrent.Causes;
import dev.weft.flow.FlowNode;
import dev.weft.flow.InputField;
import dev.weft.json.Json;
import dev.weft.node.Credentials;
import dev.weft.node.NodeException;
import dev.weft.node.Problems;
import dev.weft.registry.SettingsSchema;
import dev.weft.task.ErrorTypes;
import dev.weft.task.TaskOutcome;
import dev.weft.task.TaskState;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;

/**
 * The tools an {@code agent} step offers its model, resolved from its settings: each has the name and argument
 * schema the model sees and a way to call it. Resolving reads the published flows' start nodes and asks MCP servers
 * for their tools; a flow that is not published or a server that does not answer fails the step, naming the tool.
 * A call that fails later is the model's business: its error becomes the tool's result.
 */
final class AgentTools {

    /** One tool, ready to call. */
    interface Tool {
        /** The name, description and argument schema the model sees. */
        LlmChat.Tool spec();

        /** The argument schema, compiled, for checking what the model sends. */
        SettingsSchema schema();

        /** Calls the tool with checked arguments; the stage fails with what to tell the model. */
        CompletionStage<Result> call(ObjectNode arguments, Invocation invocation);

        /** A tool offered as {@code spec}, its arguments checked with {@code schema}, called by {@code call}. */
        static Tool of(LlmChat.Tool spec, SettingsSchema schema, Call call) {
            return new Offered(spec, schema, call);
        }
    }

    /** What calling a tool does. */
    @FunctionalInterface
    interface Call {
        CompletionStage<Result> call(ObjectNode arguments, Invocation invocation);
    }

    private record Offered(LlmChat.Tool spec, SettingsSchema schema, Call calls) implements Tool {
        @Override
        public CompletionStage<Result> call(ObjectNode arguments, Invocation invocation) {
            return calls.call(arguments, invocation);
        }
    }

    /** A tool's result, and the child task that made it (flow tools) or null. */
    record Result(JsonNode value, Long taskId) {}

    /**
     * Where one call runs: its step (task and node), its journal keys' suffix ({@code <iteration>:<index>}), the
     * loop's deadline ({@link System#nanoTime()}), the step's recorded entries, and how to stop the call if the step
     * stops.
     */
    record Invocation(long taskId, String nodeId, String key, long deadline, Map<String, JsonNode> recorded,
                      java.util.function.Function<JsonNode, CompletionStage<Void>> recordChild,
                      Consumer<Runnable> onStop) {}

    /** What the tools need: published flows, the network rules, stored secrets, MCP servers, a pool for blocking. */
    record Parts(FlowRuns runs, HttpNode.Options http, AddressGuard guard, HttpClient client, Credentials credentials,
                 McpTools mcp, Knowledge knowledge) {

        /** These parts as task {@code taskId}'s step sees them: MCP servers and knowledge bases of its workspace. */
        Parts forTask(long taskId) {
            return new Parts(runs, http, guard, client, credentials, mcp.forTask(taskId), knowledge.forTask(taskId));
        }

        /** Runs {@code work}, which may block (a database read), on the node pool. */
        <T> CompletableFuture<T> blocking(Supplier<T> work) {
            CompletableFuture<T> done = new CompletableFuture<>();
            runs.setUp(done, () -> done.complete(work.get()));
            return done;
        }
    }

    /** Compiled argument schemas, by schema: compiling one costs far more than a turn of the loop. */
    private static final Map<JsonNode, SettingsSchema> COMPILED = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int COMPILED_MAX = 1000;

    private AgentTools() {}

    /** The schema compiled, from the cache when seen before (the cache starts over past {@value #COMPILED_MAX}). */
    static SettingsSchema compiled(JsonNode schema) {
        SettingsSchema known = COMPILED.get(schema);
        if (known != null) return known;
        if (COMPILED.size() >= COMPILED_MAX) COMPILED.clear();
        SettingsSchema made = new SettingsSchema(schema);
        COMPILED.put(schema.deepCopy(), made);
        return made;
    }

    /** Resolves every tool of {@code specs}, by name; the stage fails when a tool cannot be offered. */
    static CompletionStage<Map<String, Tool>> resolve(List<AgentSettings.ToolSpec> specs, Parts parts) {
        List<CompletableFuture<List<Tool>>> resolving = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            AgentSettings.ToolSpec spec = specs.get(i);
            String where = "tools[" + i + "]";
            if (spec instanceof AgentSettings.FlowSpec flow) {
                resolving.add(parts.blocking(() -> List.of(flowTool(flow, where, parts))));
            } else if (spec instanceof AgentSettings.HttpSpec http) {
                resolving.add(CompletableFuture.completedFuture(List.of(httpTool(http, where, parts))));
            } else if (spec instanceof AgentSettings.KbSpec kb) {
                resolving.add(CompletableFuture.completedFuture(List.of(kbTool(kb, parts))));
            } else {
                resolving.add(mcpTools((AgentSettings.McpSpec) spec, where, parts).toCompletableFuture());
            }
        }
        return CompletableFuture.allOf(resolving.toArray(CompletableFuture[]::new)).thenApply(all -> {
            Map<String, Tool> tools = new LinkedHashMap<>();
            for (int i = 0; i < resolving.size(); i++) {
                for (Tool tool : resolving.get(i).join()) {
                    if (tools.putIfAbsent(tool.spec().name(), tool) != null) {
                        throw Settings.invalid("tools[" + i + "]", "offers a tool named '" + tool.spec().name()
                                + "', which another tool has: give one a name of its own");
                    }
                }
            }
            return tools;
        });
    }

    // ---- published flows ----

    private static Tool flowTool(AgentSettings.FlowSpec spec, String where, Parts parts) {
        FlowRuns.CompiledFlow flow;
        String flowName;
        try {
            PublishedFlows.Version found = parts.runs().published().find(spec.flowId(), spec.version());
            flowName = found.flow().name();
            flow = parts.runs().published(spec.flowId(), found.version(), null, null);
        } catch (NodeException e) {
            throw new NodeException(e.type(), "settings." + where + " (flow tool '" + nameOf(spec) + "'): "
                    + e.getMessage(), e.retryable());
        }
        ObjectNode startSettings = flow.graph().node(flow.graph().start()).settings();
        ObjectNode parameters = argumentSchema(startSettings.path("inputs"));
        String description = spec.description() != null ? spec.description()
                : "Runs the flow '" + (flowName == null ? "flow " + spec.flowId() : flowName) + "' and answers with"
                + " its outputs.";
        LlmChat.Tool offered = new LlmChat.Tool(nameOf(spec), description, parameters);
        SettingsSchema schema = compiled(parameters);
        return Tool.of(offered, schema, (arguments, invocation) -> {
            JsonNode known = invocation.recorded().get("child:" + invocation.key());
            CompletableFuture<PublishedFlows.ChildTask> child;
            if (known != null) {
                // resumed: the child this call started before is waited for, not started again
                long id = known.path("task_id").asLong();
                child = parts.blocking(() -> new PublishedFlows.ChildTask(id, parts.runs().published().outcome(id)));
            } else {
                child = parts.blocking(() -> {
                    int depth = parts.runs().childDepth(invocation.taskId());
                    ObjectNode typed = flow.checkStartData(arguments, "arguments");
                    // keyed by the call, so that a resume that finds no child recorded (the process died
                    // between the child's commit and its record) attaches to the child instead of a second one
                    return parts.runs().published().startChild(new PublishedFlows.ChildRequest(
                            parts.runs().durableTask(invocation.taskId()), depth, flow.flowId(), flow.version(),
                            flow.graph().start(), flow.graph().end(), typed.deepCopy(),
                            invocation.taskId() + ":" + invocation.nodeId() + ":" + invocation.key()));
                }).thenCompose(task -> invocation.recordChild().apply(Json.object().put("task_id", task.taskId()))
                        .thenApply(recorded -> task));
            }
            return child.thenCompose(task -> {
                // the cancel writes to the database: on the node pool, never on the thread that stops the step
                invocation.onStop().accept(() -> parts.blocking(() -> {
                    parts.runs().published().cancel(task.taskId());
                    return null;
                }));
                return task.outcome().thenApply(outcome -> resultOf(task.taskId(), outcome));
            });
        });
    }

    private static String nameOf(AgentSettings.FlowSpec spec) {
        return spec.name() != null ? spec.name() : "flow_" + spec.flowId();
    }

    /** The JSON Schema of a start node's inputs: each field's type, title and description; required ones listed. */
    static ObjectNode argumentSchema(JsonNode inputs) {
        ObjectNode schema = Json.object().put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        ArrayNode required = Json.MAPPER.createArrayNode();
        for (InputField field : InputField.readAll(inputs, new Problems())) {
            ObjectNode property = properties.putObject(field.name()).put("type", field.type());
            if (field.title() != null && !field.title().equals(field.name())) property.put("title", field.title());
            JsonNode description = inputs.path(field.name()).get("description");
            if (description != null && description.isTextual()) property.put("description", description.asText());
            if (field.format() != null) property.put("format", field.format());
            if (field.defaultValue() != null) property.set("default", field.defaultValue());
            if (field.required() && field.defaultValue() == null) required.add(field.name());
        }
        if (!required.isEmpty()) schema.set("required", required);
        schema.put("additionalProperties", false);
        return schema;
    }

    private static Result resultOf(long taskId, TaskOutcome outcome) {
        if (outcome.state() != TaskState.COMPLETED) {
            String why = outcome.error() == null ? "" : ": " + outcome.error().type() + ": " + outcome.error().message();
            throw new NodeException(outcome.error() == null ? "subflow_failed" : outcome.error().type(),
                    "child task " + taskId + " " + outcome.state().word() + why);
        }
        return new Result(outcome.result() == null ? Json.object() : outcome.result().deepCopy(), taskId);
    }

    // ---- HTTP endpoints ----

    private static Tool httpTool(AgentSettings.HttpSpec spec, String where, Parts parts) {
        LlmChat.Tool offered = new LlmChat.Tool(spec.name(), spec.description(), spec.parameters());
        SettingsSchema schema = compiled(spec.parameters());
        return Tool.of(offered, schema, (arguments, invocation) -> {
            Hop hop;
            try {
                hop = request(spec, where, arguments, parts.credentials().forTask(invocation.taskId()));
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
            Duration left = Duration.ofNanos(Math.max(0, invocation.deadline() - System.nanoTime()));
            CompletableFuture<Fetch.Answer> fetch = Fetch.start(parts.client(), parts.guard(), hop,
                    invocation.deadline(), parts.http().maxResponseBytes(), parts.http().maxRedirects(), h -> h);
            invocation.onStop().accept(() -> fetch.cancel(true));
            return fetch.handle((answer, error) -> {
                if (error != null) {
                    throw Fetch.failure(hop, left, Causes.unwrap(error), "answer", h -> new NodeException(
                            "response_too_large", h.display() + " answered with a body over the limit of "
                            + parts.http().maxResponseBytes() + " bytes", false));
                }
                return new Result(body(answer.hop(), answer.response()), null);
            });
        });
    }

    /** The request for these arguments: placeholders filled, unused arguments of a GET in its query. */
    static Hop request(AgentSettings.HttpSpec spec, String where, ObjectNode arguments, Credentials credentials) {
        Set<String> used = new HashSet<>();
        String url = fill(spec.url(), arguments, used, true);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String[] header : spec.headers()) headers.put(header[0], fill(header[1], arguments, used, false));
        byte[] body = null;
        boolean sendsBody = List.of("POST", "PUT", "PATCH").contains(spec.method());
        if (spec.body() != null && !spec.body().isNull()) {
            JsonNode filled = fillJson(spec.body(), arguments, used);
            body = filled.isTextual() ? filled.asText().getBytes(StandardCharsets.UTF_8) : Json.bytes(filled);
            headers.putIfAbsent("Content-Type", filled.isTextual() ? "text/plain; charset=utf-8" : "application/json");
        } else if (sendsBody) {
            body = Json.bytes(arguments);
            headers.putIfAbsent("Content-Type", "application/json");
            arguments.fieldNames().forEachRemaining(used::add);
        }
        if (!sendsBody) {
            StringBuilder query = new StringBuilder();
            arguments.fields().forEachRemaining(entry -> {
                if (used.contains(entry.getKey()) || entry.getValue().isNull()) return;
                JsonNode value = entry.getValue();
                query.append(query.length() == 0 ? "" : "&").append(encode(entry.getKey())).append('=')
                        .append(encode(value.isValueNode() ? value.asText() : Json.write(value)));
            });
            if (query.length() > 0) url = url + (url.contains("?") ? "&" : "?") + query;
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new NodeException("tool_arguments", "the URL made from the arguments is not valid: " + e.getMessage(),
                    false);
        }
        headers.putIfAbsent("Accept", "application/json, text/plain;q=0.9, */*;q=0.5");
        if (spec.credential() != null) {
            Credentials.Credential credential = StoredSecrets.credentialFor(credentials, spec.credential(), uri,
                    where + ".credential");
            if (credential.type().isToken()) headers.put("Authorization", "Bearer " + credential.secret());
            else headers.putAll(credential.headers());   // basic or custom headers, as the credential says
        }
        return new Hop(spec.method(), uri, headers, body);
    }

    private static String fill(String template, ObjectNode arguments, Set<String> used, boolean url) {
        Matcher m = AgentSettings.ARGUMENT.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            used.add(m.group(1));
            JsonNode value = arguments.path(m.group(1));
            String text = value.isMissingNode() || value.isNull() ? "" : value.isValueNode() ? value.asText()
                    : Json.write(value);
            m.appendReplacement(out, Matcher.quoteReplacement(url ? encode(text) : text));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Fills a body: a string that is one placeholder becomes the argument's JSON value, others are filled as text. */
    private static JsonNode fillJson(JsonNode template, ObjectNode arguments, Set<String> used) {
        if (template.isTextual()) {
            Matcher whole = AgentSettings.ARGUMENT.matcher(template.asText());
            if (whole.matches()) {
                used.add(whole.group(1));
                JsonNode value = arguments.get(whole.group(1));
                return value == null ? Json.MAPPER.nullNode() : value;
            }
            return Json.MAPPER.getNodeFactory().textNode(fill(template.asText(), arguments, used, false));
        }
        if (template.isObject()) {
            ObjectNode out = Json.object();
            template.fields().forEachRemaining(e -> out.set(e.getKey(), fillJson(e.getValue(), arguments, used)));
            return out;
        }
        if (template.isArray()) {
            ArrayNode out = Json.MAPPER.createArrayNode();
            template.forEach(item -> out.add(fillJson(item, arguments, used)));
            return out;
        }
        return template;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static JsonNode body(Hop hop, HttpResponse<byte[]> response) {
        int status = response.statusCode();
        Optional<String> contentType = response.headers().firstValue("content-type");
        String text = ResponseMode.text(response.body(), contentType);
        if (status < 200 || status > 299) {
            throw new NodeException(HttpNode.STATUS, hop.display() + " answered " + status + ": "
                    + (text.length() > 500 ? text.substring(0, 500) + "..." : text), status == 429 || status >= 500);
        }
        if (contentType.isPresent() && ResponseMode.isJson(contentType.get())) {
            try {
                return Json.MAPPER.readTree(text);
            } catch (IOException e) {
                // not JSON after all: the text is the result
            }
        }
        return Json.MAPPER.getNodeFactory().textNode(text);
    }

    // ---- knowledge bases ----

    /** The one argument a knowledge-base tool takes. */
    private static final JsonNode KB_PARAMETERS = Json.read("""
            {"type": "object", "required": ["query"], "additionalProperties": false,
             "properties": {"query": {"type": "string", "minLength": 1,
               "description": "What to look for, in words: a question or the topic of the passages needed"}}}""");

    private static Tool kbTool(AgentSettings.KbSpec spec, Parts parts) {
        String name = spec.name() != null ? spec.name()
                : "search_" + spec.knowledgeBase().replaceAll("[^A-Za-z0-9_-]", "_");
        String description = spec.description() != null ? spec.description() : "Searches the knowledge base '"
                + spec.knowledgeBase() + "' (meaning and words) and answers the passages that match best, each with"
                + " its source; answer from them and name the source.";
        LlmChat.Tool offered = new LlmChat.Tool(name.length() > 64 ? name.substring(0, 64) : name, description,
                KB_PARAMETERS);
        SettingsSchema schema = compiled(KB_PARAMETERS);
        Map<String, List<String>> filters = KbSearchNode.filters(spec.filters());
        return Tool.of(offered, schema, (arguments, invocation) -> {
            Knowledge.Query query = new Knowledge.Query(arguments.get("query").asText(), spec.topK(),
                    spec.minScore(), filters, 1, 1);
            CompletableFuture<Result> searched = parts.blocking(() -> {
                try {
                    ArrayNode passages = Json.MAPPER.createArrayNode();
                    for (Knowledge.Passage p : parts.knowledge().search(spec.knowledgeBase(), query)) {
                        passages.add(KbSearchNode.json(p));
                    }
                    return new Result(passages, null);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new NodeException(ErrorTypes.CANCELLED, "the search of knowledge base '"
                            + spec.knowledgeBase() + "' was interrupted", true);
                }
            });
            invocation.onStop().accept(() -> searched.cancel(true));
            return searched;
        });
    }

    // ---- MCP servers ----

    private static CompletionStage<List<Tool>> mcpTools(AgentSettings.McpSpec spec, String where, Parts parts) {
        CompletionStage<List<McpTools.Tool>> listed;
        try {
            listed = parts.mcp().tools(spec.server());
        } catch (RuntimeException e) {
            listed = CompletableFuture.failedFuture(e);
        }
        return listed.handle((offered, error) -> {
            if (error != null) {
                Throwable cause = Causes.unwrap(error);
                String type = cause instanceof NodeException e ? e.type() : McpTools.ERROR;
                throw new NodeException(type, "settings." + where + ": MCP server '" + spec.server()
                        + "' gave no tool list: " + cause.getMessage(), !(cause instanceof NodeException e) || e.retryable());
            }
            List<Tool> tools = new ArrayList<>();
            for (String wanted : spec.only()) {
                if (offered.stream().noneMatch(t -> t.name().equals(wanted))) {
                    throw new NodeException(McpTools.ERROR, "settings." + where + ".tools: MCP server '" + spec.server()
                            + "' has no tool '" + wanted + "' (it has: " + String.join(", ",
                            offered.stream().map(McpTools.Tool::name).toList()) + ")", false);
                }
            }
            for (McpTools.Tool tool : offered) {
                if (spec.only().isEmpty() || spec.only().contains(tool.name())) tools.add(mcpTool(spec.server(), tool, parts));
            }
            return tools;
        });
    }

    private static Tool mcpTool(String server, McpTools.Tool tool, Parts parts) {
        JsonNode parameters = tool.inputSchema() != null && tool.inputSchema().isObject() ? tool.inputSchema()
                : Json.read("{\"type\": \"object\", \"properties\": {}}");
        LlmChat.Tool offered = new LlmChat.Tool(tool.name(), tool.description(), parameters);
        SettingsSchema schema = compiled(parameters);
        return Tool.of(offered, schema, (arguments, invocation) -> {
            Duration left = Duration.ofNanos(Math.max(1, invocation.deadline() - System.nanoTime()));
            CompletionStage<McpTools.Result> called;
            try {
                called = parts.mcp().call(server, tool.name(), arguments, left);
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
            invocation.onStop().accept(() -> called.toCompletableFuture().cancel(true));
            return called.thenApply(result -> {
                JsonNode value = result.structuredContent() != null && !result.structuredContent().isNull()
                        ? result.structuredContent() : contentValue(result.content());
                if (result.isError()) {
                    throw new NodeException(McpTools.ERROR, "MCP tool '" + tool.name() + "' of server '" + server
                            + "' reported an error: " + (value.isTextual() ? value.asText() : Json.write(value)));
                }
                return new Result(value, null);
            });
        });
    }

    /** MCP content blocks as one value: the text of text-only content, else the blocks themselves. */
    private static JsonNode contentValue(JsonNode content) {
        if (content == null || content.isNull()) return Json.MAPPER.getNodeFactory().textNode("");
        StringBuilder text = new StringBuilder();
        for (JsonNode block : content) {
            if (!"text".equals(block.path("type").asText())) return content;
            if (text.length() > 0) text.append('\n');
            text.append(block.path("text").asText());
        }
        return Json.MAPPER.getNodeFactory().textNode(text.toString());
    }
}
