package dev.weft.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.json.Json;
import dev.weft.node.Deltas;
import dev.weft.node.NodeException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds one {@link LlmAnswer} from the events of a provider's stream, in the provider's own format, passing each
 * piece of text to the step's {@link Deltas} as it comes. One assembly reads one stream, on one thread at a time.
 */
abstract sealed class LlmStreamAssembly permits LlmStreamAssembly.OpenAi, LlmStreamAssembly.Anthropic {

    final String where;
    final Deltas deltas;
    final StringBuilder text = new StringBuilder();
    String model = "";
    String finishReason = "";
    int inputTokens;
    int outputTokens;
    private boolean done;

    LlmStreamAssembly(String where, Deltas deltas) {
        this.where = where;
        this.deltas = deltas;
    }

    static LlmStreamAssembly of(LlmProvider provider, String where, Deltas deltas) {
        return provider == LlmProvider.ANTHROPIC ? new Anthropic(where, deltas) : new OpenAi(where, deltas);
    }

    /** One event of the stream: its {@code event:} name (empty when it had none) and its {@code data:} text. */
    abstract void event(String name, String data);

    /** The answer so far, as the tool calls and text stand. */
    abstract LlmAnswer answer();

    /** True once the stream's end marker came ({@code [DONE]} or {@code message_stop}). */
    final boolean done() {
        return done;
    }

    final void finish() {
        done = true;
    }

    final void text(String piece) {
        if (piece.isEmpty()) return;
        text.append(piece);
        deltas.text(piece);
    }

    final JsonNode parse(String data) {
        try {
            return Json.MAPPER.readTree(data);
        } catch (IOException e) {
            throw new NodeException(LlmNode.ERROR, where + " streamed an event that is not JSON: "
                    + (data.length() > 120 ? data.substring(0, 120) + "..." : data), true);
        }
    }

    /** An {@code error} object in the stream: the provider gave up after the answer had begun. */
    final NodeException streamedError(JsonNode body) {
        return new NodeException(LlmNode.ERROR, where + " sent an error in the stream: "
                + LlmProvider.errorMessage(body, Json.write(body)), true);
    }

    /** OpenAI's chat completion chunks: {@code data: {...}} lines, then {@code data: [DONE]}. */
    static final class OpenAi extends LlmStreamAssembly {
        /** Tool calls by their {@code index}: the first piece has the id and name, the arguments come in pieces. */
        private final Map<Integer, String[]> calls = new TreeMap<>();
        private final Map<Integer, StringBuilder> arguments = new TreeMap<>();

        OpenAi(String where, Deltas deltas) {
            super(where, deltas);
        }

        @Override
        void event(String name, String data) {
            if (data.strip().equals("[DONE]")) {
                finish();
                return;
            }
            JsonNode chunk = parse(data);
            if (chunk.path("error").isObject()) throw streamedError(chunk);
            if (chunk.path("model").isTextual() && !chunk.get("model").asText().isEmpty()) model = chunk.get("model").asText();
            JsonNode usage = chunk.path("usage");
            if (usage.isObject()) {
                inputTokens = usage.path("prompt_tokens").asInt(inputTokens);
                outputTokens = usage.path("completion_tokens").asInt(outputTokens);
            }
            JsonNode choice = chunk.path("choices").path(0);
            if (choice.isMissingNode()) return;
            if (choice.path("finish_reason").isTextual()) finishReason = choice.get("finish_reason").asText();
            JsonNode delta = choice.path("delta");
            if (delta.path("content").isTextual()) text(delta.get("content").asText());
            for (JsonNode piece : delta.path("tool_calls")) {
                int index = piece.path("index").asInt(calls.size());
                String[] call = calls.computeIfAbsent(index, i -> new String[] {"", ""});
                if (piece.path("id").isTextual()) call[0] = piece.get("id").asText();
                JsonNode function = piece.path("function");
                if (function.path("name").isTextual()) call[1] += function.get("name").asText();
                if (function.path("arguments").isTextual()) {
                    arguments.computeIfAbsent(index, i -> new StringBuilder()).append(function.get("arguments").asText());
                }
            }
        }

        @Override
        LlmAnswer answer() {
            List<LlmAnswer.ToolCall> toolCalls = new ArrayList<>();
            calls.forEach((index, call) -> toolCalls.add(new LlmAnswer.ToolCall(call[0], call[1],
                    arguments.getOrDefault(index, new StringBuilder()).toString())));
            return new LlmAnswer(text.toString(), toolCalls, model, finishReason, inputTokens, outputTokens);
        }
    }

    /**
     * Anthropic's Messages events: {@code message_start}, content blocks ({@code content_block_start},
     * {@code content_block_delta}, {@code content_block_stop}), {@code message_delta}, {@code message_stop};
     * {@code ping} and unknown events are skipped, {@code error} fails.
     */
    static final class Anthropic extends LlmStreamAssembly {
        /** tool_use blocks by their index: id, name, and the input's JSON text as it comes. */
        private final Map<Integer, String[]> tools = new TreeMap<>();
        private final Map<Integer, StringBuilder> inputs = new TreeMap<>();

        Anthropic(String where, Deltas deltas) {
            super(where, deltas);
        }

        @Override
        void event(String name, String data) {
            JsonNode event = parse(data);
            String type = event.path("type").asText(name);
            switch (type) {
                case "message_start" -> {
                    JsonNode message = event.path("message");
                    model = message.path("model").asText(model);
                    inputTokens = message.path("usage").path("input_tokens").asInt(inputTokens);
                    outputTokens = message.path("usage").path("output_tokens").asInt(outputTokens);
                }
                case "content_block_start" -> {
                    JsonNode block = event.path("content_block");
                    int index = event.path("index").asInt();
                    if ("tool_use".equals(block.path("type").asText())) {
                        tools.put(index, new String[] {block.path("id").asText(), block.path("name").asText()});
                        JsonNode input = block.path("input");
                        // The start carries an empty input object; the real input comes as partial_json pieces.
                        if (input.isObject() && !input.isEmpty()) inputs.put(index, new StringBuilder(Json.write(input)));
                    } else if ("text".equals(block.path("type").asText())) {
                        text(block.path("text").asText(""));
                    }
                }
                case "content_block_delta" -> {
                    JsonNode delta = event.path("delta");
                    int index = event.path("index").asInt();
                    switch (delta.path("type").asText()) {
                        case "text_delta" -> text(delta.path("text").asText(""));
                        case "input_json_delta" -> inputs.computeIfAbsent(index, i -> new StringBuilder())
                                .append(delta.path("partial_json").asText(""));
                        default -> { }   // thinking and signature deltas are not part of the answer
                    }
                }
                case "message_delta" -> {
                    JsonNode stop = event.path("delta").path("stop_reason");
                    if (stop.isTextual()) finishReason = stop.asText();
                    // The counts in message_delta's usage are cumulative: the last one is the total.
                    JsonNode usage = event.path("usage");
                    outputTokens = usage.path("output_tokens").asInt(outputTokens);
                    if (usage.path("input_tokens").isInt()) inputTokens = usage.get("input_tokens").asInt();
                }
                case "message_stop" -> finish();
                case "error" -> throw streamedError(event);
                default -> { }   // ping, content_block_stop, and event types added later
            }
        }

        @Override
        LlmAnswer answer() {
            List<LlmAnswer.ToolCall> toolCalls = new ArrayList<>();
            tools.forEach((index, tool) -> {
                StringBuilder input = inputs.get(index);
                toolCalls.add(new LlmAnswer.ToolCall(tool[0], tool[1], input == null || input.isEmpty() ? "{}" : input.toString()));
            });
            return new LlmAnswer(text.toString(), toolCalls, model, finishReason, inputTokens, outputTokens);
        }
    }
}
