package dev.weft.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.node.Problems;
import dev.weft.registry.SettingsSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code agent} node's settings: checked against the rules its schema cannot say, and read once rendered. */
record AgentSettings(LlmProvider provider, String baseUrl, String credential, String model, String system,
                     String user, List<ToolSpec> tools, int maxIterations, String toolChoice, boolean json,
                     JsonNode jsonSchema, Double temperature, Integer maxTokens, Duration timeout, int maxRetries,
                     String sessionId, int memoryMaxMessages, int memoryMaxTokens, boolean stream,
                     List<String> images) {

    static final int MAX_ITERATIONS_DEFAULT = 10;
    static final int MEMORY_MAX_MESSAGES_DEFAULT = 50;
    /** {{name}} in an HTTP tool's URL, headers or body: the model's argument {@code name}. */
    static final Pattern ARGUMENT = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*}}");

    /** A tool as the settings describe it, before it is resolved (a flow's inputs read, an MCP server asked). */
    sealed interface ToolSpec permits FlowSpec, HttpSpec, McpSpec, KbSpec {}

    /** A published flow: its start node's inputs are the arguments, its end node's outputs the result. */
    record FlowSpec(String name, String description, long flowId, Integer version) implements ToolSpec {}

    /** An HTTP endpoint: {{argument}} placeholders in the URL (URL-encoded), headers and body are filled in. */
    record HttpSpec(String name, String description, String method, String url, JsonNode parameters,
                    List<String[]> headers, String credential, JsonNode body) implements ToolSpec {}

    /** The tools of one MCP server, all or the ones named. */
    record McpSpec(String server, List<String> only) implements ToolSpec {}

    /**
     * A knowledge base searched with the model's {@code query}: up to {@code topK} passages at or above
     * {@code minScore}, within {@code filters} (metadata key to accepted values).
     */
    record KbSpec(String name, String description, String knowledgeBase, int topK, double minScore,
                  JsonNode filters) implements ToolSpec {}

    /** Checks what the schema cannot say: each tool's required fields, unique names, the URL forms, the schemas. */
    static void check(ObjectNode settings, Problems problems, boolean unrendered) {
        LlmSettings.check(settings, problems, true);   // base_url, anthropic's temperature, json_schema
        JsonNode tools = settings.path("tools");
        Set<String> names = new HashSet<>();
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            if (!tool.isObject()) continue;   // the schema said so
            Problems at = problems.at("tools[" + i + "]");
            String name = tool.path("name").asText("");
            if (!name.isEmpty() && !names.add(name)) at.add("name", "names another tool already ('" + name + "')");
            switch (tool.path("type").asText()) {
                case "flow" -> {
                    if (!tool.has("flow_id")) at.add("flow_id", "is required for a flow tool");
                }
                case "http" -> checkHttp(tool, at);
                case "mcp" -> {
                    if (!tool.has("server")) at.add("server", "is required for an mcp tool");
                }
                case "knowledge_base" -> {
                    if (!tool.has("knowledge_base")) {
                        at.add("knowledge_base", "is required for a knowledge_base tool (a knowledge base's name or id)");
                    }
                }
                default -> { }
            }
        }
        JsonNode choice = settings.get("tool_choice");
        if (choice != null && choice.isTextual() && !Settings.deferred(choice, unrendered)
                && !List.of("auto", "none", "required").contains(choice.asText())
                && !ARGUMENT_NAME.matcher(choice.asText()).matches()) {
            problems.add("tool_choice", "must be auto, none, required or a tool's name (got '" + choice.asText() + "')");
        }
    }

    private static final Pattern ARGUMENT_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private static void checkHttp(JsonNode tool, Problems at) {
        if (!tool.has("name")) at.add("name", "is required for an http tool");
        JsonNode url = tool.get("url");
        if (url == null || !url.isTextual()) {
            at.add("url", "is required for an http tool");
        } else {
            // the placeholders are the model's arguments: check the URL's form with them filled
            String wrong = HttpSettings.urlProblem(ARGUMENT.matcher(url.asText()).replaceAll("x"));
            if (wrong != null) at.add("url", wrong);
        }
        JsonNode parameters = tool.get("parameters");
        if (parameters != null && parameters.isObject()) {
            SettingsSchema.checkSchema(parameters, at.at("parameters"));
            Set<String> declared = new HashSet<>();
            parameters.path("properties").fieldNames().forEachRemaining(declared::add);
            List<String> texts = new ArrayList<>();
            if (url != null && url.isTextual()) texts.add(url.asText());
            tool.path("headers").forEach(h -> texts.add(h.asText()));
            if (tool.has("body")) texts.add(Json.write(tool.get("body")));
            for (String text : texts) {
                Matcher m = ARGUMENT.matcher(text);
                while (m.find()) {
                    if (!declared.contains(m.group(1))) {
                        at.add("parameters", "declares no property '" + m.group(1) + "', which {{" + m.group(1)
                                + "}} uses");
                    }
                }
            }
        }
    }

    /** Reads rendered settings; throws a {@code settings} failure when they are wrong once rendered. */
    static AgentSettings read(ObjectNode settings, Duration stepTimeout) {
        Problems problems = new Problems();
        check(settings, problems, false);
        Settings.throwIfAny(problems);
        List<ToolSpec> tools = new ArrayList<>();
        for (JsonNode tool : settings.path("tools")) tools.add(spec(tool));
        JsonNode answerSchema = settings.get("json_schema");
        boolean hasSchema = answerSchema != null && answerSchema.isObject();
        String session = text(settings, "session_id");
        return new AgentSettings(
                LlmProvider.named(settings.path("provider").asText("openai")).orElse(LlmProvider.OPENAI),
                text(settings, "base_url"), text(settings, "credential"), settings.get("model").asText(),
                text(settings, "system"), settings.get("user").asText(), tools,
                settings.path("max_iterations").asInt(MAX_ITERATIONS_DEFAULT), text(settings, "tool_choice"),
                hasSchema || settings.path("json").asBoolean(false), hasSchema ? answerSchema : null,
                settings.path("temperature").isNumber() ? settings.get("temperature").asDouble() : null,
                settings.path("max_tokens").isIntegralNumber() ? settings.get("max_tokens").asInt() : null,
                settings.path("timeout_ms").isIntegralNumber() ? Duration.ofMillis(settings.get("timeout_ms").asLong())
                        : stepTimeout,
                settings.path("max_retries").asInt(LlmSettings.MAX_RETRIES_DEFAULT),
                session == null || session.isBlank() ? null : session,
                settings.path("memory_max_messages").asInt(MEMORY_MAX_MESSAGES_DEFAULT),
                settings.path("memory_max_tokens").asInt(0), settings.path("stream").asBoolean(true),
                Images.refs(settings.get("images")));
    }

    private static ToolSpec spec(JsonNode tool) {
        String name = text(tool, "name");
        String description = text(tool, "description");
        return switch (tool.path("type").asText()) {
            case "flow" -> new FlowSpec(name, description, tool.get("flow_id").asLong(),
                    tool.path("version").isIntegralNumber() ? tool.get("version").asInt() : null);
            case "http" -> {
                List<String[]> headers = new ArrayList<>();
                tool.path("headers").fields().forEachRemaining(h -> headers.add(new String[] {h.getKey(),
                        h.getValue().asText()}));
                JsonNode parameters = tool.path("parameters").isObject() ? tool.get("parameters")
                        : Json.read("{\"type\": \"object\", \"properties\": {}}");
                yield new HttpSpec(name, description, tool.path("method").asText("GET").toUpperCase(Locale.ROOT),
                        tool.get("url").asText(), parameters, headers, text(tool, "credential"), tool.get("body"));
            }
            case "knowledge_base" -> new KbSpec(name, description, tool.get("knowledge_base").asText(),
                    tool.path("top_k").asInt(KbSearchNode.TOP_K_DEFAULT), tool.path("min_score").asDouble(0),
                    tool.path("filters"));
            default -> {
                List<String> only = new ArrayList<>();
                tool.path("tools").forEach(t -> only.add(t.asText()));
                yield new McpSpec(tool.get("server").asText(), only);
            }
        };
    }

    private static String text(JsonNode settings, String name) {
        JsonNode value = settings.get(name);
        return value == null || value.isNull() ? null : value.asText();
    }
}
