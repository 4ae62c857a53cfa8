package dev.weft.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.node.NodeException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The wire protocols the {@code llm} node speaks: OpenAI's chat completions (which OpenRouter, Groq, vLLM,
 * LM Studio, llama.cpp's server and Ollama also answer) and Anthropic's Messages API. Each builds its request
 * from the node's settings and reads an answer or an error body.
 */
enum LlmProvider {

    OPENAI("https://api.openai.com/v1", "/chat/completions") {
        @Override
        Map<String, String> headers(String secret) {
            Map<String, String> headers = new LinkedHashMap<>();
            if (secret != null) headers.put("Authorization", "Bearer " + secret);
            return headers;
        }

        @Override
        ObjectNode body(LlmSettings s, List<Images.Image> images) {
            ObjectNode body = Json.object().put("model", s.model());
            ArrayNode messages = body.putArray("messages");
            if (s.system() != null) messages.addObject().put("role", "system").put("content", s.system());
            userContent(messages.addObject().put("role", "user"), s.user(), images);
            if (s.temperature() != null) body.put("temperature", s.temperature());
            if (s.maxTokens() != null) body.put("max_tokens", s.maxTokens());
            if (!s.stop().isEmpty()) s.stop().forEach(body.putArray("stop")::add);
            if (s.jsonSchema() != null) {
                ObjectNode format = body.putObject("response_format").put("type", "json_schema");
                format.putObject("json_schema").put("name", "answer").set("schema", s.jsonSchema());
            } else if (s.json()) {
                body.putObject("response_format").put("type", "json_object");
            }
            return body;
        }

        @Override
        ObjectNode chatBody(LlmChat chat) {
            ObjectNode body = Json.object().put("model", chat.model());
            ArrayNode messages = body.putArray("messages");
            if (chat.system() != null) messages.addObject().put("role", "system").put("content", chat.system());
            for (int at = 0; at < chat.messages().size(); at++) {
                ObjectNode message = chat.messages().get(at);
                String role = message.path("role").asText();
                ObjectNode sent = messages.addObject().put("role", role);
                switch (role) {
                    case "assistant" -> {
                        String text = message.path("content").asText("");
                        JsonNode calls = message.path("tool_calls");
                        if (text.isEmpty() && calls.size() > 0) sent.putNull("content");
                        else sent.put("content", text);
                        if (calls.size() > 0) {
                            ArrayNode wire = sent.putArray("tool_calls");
                            for (JsonNode call : calls) {
                                JsonNode arguments = call.path("arguments");
                                wire.addObject().put("id", call.path("id").asText()).put("type", "function")
                                        .putObject("function").put("name", call.path("name").asText())
                                        .put("arguments", arguments.isTextual() ? arguments.asText() : Json.write(arguments));
                            }
                        }
                    }
                    case "tool" -> sent.put("tool_call_id", message.path("tool_call_id").asText())
                            .put("content", message.path("content").asText(""));
                    default -> userContent(sent, message.path("content").asText(""),
                            at == chat.imagesAt() ? chat.images() : List.of());
                }
            }
            if (!chat.tools().isEmpty()) {
                ArrayNode tools = body.putArray("tools");
                for (LlmChat.Tool tool : chat.tools()) {
                    ObjectNode function = tools.addObject().put("type", "function").putObject("function")
                            .put("name", tool.name());
                    if (tool.description() != null) function.put("description", tool.description());
                    function.set("parameters", tool.parameters());
                }
                String choice = chat.toolChoice();
                if (choice != null) {
                    if (List.of("auto", "none", "required").contains(choice)) body.put("tool_choice", choice);
                    else body.putObject("tool_choice").put("type", "function").putObject("function").put("name", choice);
                }
            }
            if (chat.temperature() != null) body.put("temperature", chat.temperature());
            if (chat.maxTokens() != null) body.put("max_tokens", chat.maxTokens());
            if (chat.jsonSchema() != null) {
                ObjectNode format = body.putObject("response_format").put("type", "json_schema");
                format.putObject("json_schema").put("name", "answer").set("schema", chat.jsonSchema());
            } else if (chat.json()) {
                body.putObject("response_format").put("type", "json_object");
            }
            return body;
        }

        /** The text alone as a string; with images, a text part then one image_url part each. */
        private void userContent(ObjectNode message, String text, List<Images.Image> images) {
            if (images.isEmpty()) {
                message.put("content", text);
                return;
            }
            ArrayNode parts = message.putArray("content");
            parts.addObject().put("type", "text").put("text", text);
            images.forEach(image -> parts.add(image.openAi()));
        }

        @Override
        LlmAnswer answer(JsonNode body) {
            JsonNode choice = body.path("choices").path(0);
            JsonNode content = choice.path("message").path("content");
            List<LlmAnswer.ToolCall> calls = new ArrayList<>();
            for (JsonNode call : choice.path("message").path("tool_calls")) {
                JsonNode function = call.path("function");
                JsonNode arguments = function.path("arguments");
                calls.add(new LlmAnswer.ToolCall(call.path("id").asText(""), function.path("name").asText(""),
                        arguments.isTextual() ? arguments.asText() : Json.write(arguments)));
            }
            if (!content.isTextual() && calls.isEmpty()) {
                throw new NodeException(LlmNode.ERROR, "the answer has no choices[0].message.content text", true);
            }
            JsonNode usage = body.path("usage");
            return new LlmAnswer(content.isTextual() ? content.asText() : "", calls, body.path("model").asText(""),
                    choice.path("finish_reason").asText(""), usage.path("prompt_tokens").asInt(0),
                    usage.path("completion_tokens").asInt(0));
        }
    },

    ANTHROPIC("https://api.anthropic.com", "/v1/messages") {
        /** The API version this node's requests and answers follow. */
        static final String VERSION = "2023-06-01";
        /** The Messages API needs max_tokens; this is used when the node sets none. */
        static final int MAX_TOKENS_DEFAULT = 1024;

        @Override
        Map<String, String> headers(String secret) {
            Map<String, String> headers = new LinkedHashMap<>();
            if (secret != null) headers.put("x-api-key", secret);
            headers.put("anthropic-version", VERSION);
            return headers;
        }

        @Override
        ObjectNode body(LlmSettings s, List<Images.Image> images) {
            ObjectNode body = Json.object().put("model", s.model());
            body.put("max_tokens", s.maxTokens() == null ? MAX_TOKENS_DEFAULT : s.maxTokens());
            String system = s.system();
            if (s.json()) {
                // The Messages API has no JSON mode: the instruction goes into the system prompt.
                String rule = "Answer with one JSON value only, without code fences or other text"
                        + (s.jsonSchema() == null ? "." : ", matching this JSON Schema: " + Json.write(s.jsonSchema()));
                system = system == null ? rule : system + "\n\n" + rule;
            }
            if (system != null) body.put("system", system);
            userContent(body.putArray("messages").addObject().put("role", "user"), s.user(), images);
            if (s.temperature() != null) body.put("temperature", s.temperature());
            if (!s.stop().isEmpty()) s.stop().forEach(body.putArray("stop_sequences")::add);
            return body;
        }

        @Override
        ObjectNode chatBody(LlmChat chat) {
            ObjectNode body = Json.object().put("model", chat.model());
            body.put("max_tokens", chat.maxTokens() == null ? MAX_TOKENS_DEFAULT : chat.maxTokens());
            String system = chat.system();
            if (chat.json()) {
                String rule = "When you give your final answer, answer with one JSON value only, without code fences"
                        + " or other text" + (chat.jsonSchema() == null ? "."
                        : ", matching this JSON Schema: " + Json.write(chat.jsonSchema()));
                system = system == null ? rule : system + "\n\n" + rule;
            }
            if (system != null) body.put("system", system);
            ArrayNode messages = body.putArray("messages");
            ArrayNode results = null;   // the tool_result blocks of consecutive tool messages go in one user message
            for (int at = 0; at < chat.messages().size(); at++) {
                ObjectNode message = chat.messages().get(at);
                String role = message.path("role").asText();
                if ("tool".equals(role)) {
                    if (results == null) results = messages.addObject().put("role", "user").putArray("content");
                    ObjectNode result = results.addObject().put("type", "tool_result")
                            .put("tool_use_id", message.path("tool_call_id").asText())
                            .put("content", message.path("content").asText(""));
                    if (message.path("is_error").asBoolean(false)) result.put("is_error", true);
                    continue;
                }
                results = null;
                if ("assistant".equals(role)) {
                    ArrayNode content = messages.addObject().put("role", "assistant").putArray("content");
                    String text = message.path("content").asText("");
                    if (!text.isEmpty()) content.addObject().put("type", "text").put("text", text);
                    for (JsonNode call : message.path("tool_calls")) {
                        JsonNode arguments = call.path("arguments");
                        content.addObject().put("type", "tool_use").put("id", call.path("id").asText())
                                .put("name", call.path("name").asText())
                                .set("input", arguments.isObject() ? arguments : Json.object());
                    }
                } else {
                    userContent(messages.addObject().put("role", "user"), message.path("content").asText(""),
                            at == chat.imagesAt() ? chat.images() : List.of());
                }
            }
            if (!chat.tools().isEmpty()) {
                ArrayNode tools = body.putArray("tools");
                for (LlmChat.Tool tool : chat.tools()) {
                    ObjectNode wire = tools.addObject().put("name", tool.name());
                    if (tool.description() != null) wire.put("description", tool.description());
                    wire.set("input_schema", tool.parameters());
                }
                String choice = chat.toolChoice();
                if (choice != null) {
                    ObjectNode wire = body.putObject("tool_choice");
                    switch (choice) {
                        case "auto", "none" -> wire.put("type", choice);
                        case "required" -> wire.put("type", "any");
                        default -> wire.put("type", "tool").put("name", choice);
                    }
                }
            }
            if (chat.temperature() != null) body.put("temperature", chat.temperature());
            return body;
        }

        /** The text alone as a string; with images, the image blocks then the text (as Anthropic advises). */
        private void userContent(ObjectNode message, String text, List<Images.Image> images) {
            if (images.isEmpty()) {
                message.put("content", text);
                return;
            }
            ArrayNode blocks = message.putArray("content");
            images.forEach(image -> blocks.add(image.anthropic()));
            blocks.addObject().put("type", "text").put("text", text);
        }

        @Override
        LlmAnswer answer(JsonNode body) {
            StringBuilder text = new StringBuilder();
            boolean any = false;
            List<LlmAnswer.ToolCall> calls = new ArrayList<>();
            for (JsonNode block : body.path("content")) {
                if ("text".equals(block.path("type").asText())) {
                    text.append(block.path("text").asText());
                    any = true;
                } else if ("tool_use".equals(block.path("type").asText())) {
                    calls.add(new LlmAnswer.ToolCall(block.path("id").asText(""), block.path("name").asText(""),
                            Json.write(block.path("input").isObject() ? block.get("input") : Json.object())));
                }
            }
            if (!any && calls.isEmpty()) {
                throw new NodeException(LlmNode.ERROR, "the answer has no text content block", true);
            }
            JsonNode usage = body.path("usage");
            return new LlmAnswer(text.toString(), calls, body.path("model").asText(""),
                    body.path("stop_reason").asText(""), usage.path("input_tokens").asInt(0),
                    usage.path("output_tokens").asInt(0));
        }
    };

    private final String defaultBase;
    private final String path;

    LlmProvider(String defaultBase, String path) {
        this.defaultBase = defaultBase;
        this.path = path;
    }

    String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<LlmProvider> named(String id) {
        return Arrays.stream(values()).filter(p -> p.id().equals(id)).findFirst();
    }

    /** Where requests go: the base URL (or the provider's own) plus the API's path. */
    URI endpoint(String baseUrl) {
        String base = baseUrl == null || baseUrl.isBlank() ? defaultBase : baseUrl.trim();
        while (base.endsWith("/")) base = base.substring(0, base.length() - 1);
        return URI.create(base + path);
    }

    /** Headers besides Content-Type: the credential, when there is one, and the API version. */
    abstract Map<String, String> headers(String secret);

    /** The request body of the {@code llm} node: the settings' prompts, with {@code images} after the user's text. */
    abstract ObjectNode body(LlmSettings settings, List<Images.Image> images);

    abstract LlmAnswer answer(JsonNode body);

    /** The request body of one turn of a conversation with tools (the {@code agent} node's). */
    abstract ObjectNode chatBody(LlmChat chat);

    /**
     * The request body asking for the answer as server-sent events: {@code stream: true}, and for OpenAI
     * {@code stream_options.include_usage} so a last chunk carries the token counts. Changes and returns
     * {@code body}; {@link LlmStream} reads the answer.
     */
    ObjectNode streaming(ObjectNode body) {
        body.put("stream", true);
        if (this == OPENAI) body.putObject("stream_options").put("include_usage", true);
        return body;
    }

    /**
     * The message of an error body: both APIs answer {@code {"error": {"type", "message"}}} (Anthropic wraps it
     * in {@code {"type": "error", ...}}); anything else is shown as text, shortened.
     */
    static String errorMessage(JsonNode body, String text) {
        JsonNode error = body == null ? null : body.path("error");
        if (error != null && error.isObject() && error.path("message").isTextual()) {
            String type = error.path("type").asText(error.path("code").asText(""));
            return (type.isEmpty() ? "" : type + ": ") + error.path("message").asText();
        }
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
