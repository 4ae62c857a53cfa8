package dev.weft.builtin;

import java.util.List;

/**
 * What a provider answered, in Weft's terms: the text, the tool calls the model asks for (in order), the model
 * that answered, why it stopped, token counts. Both a whole answer and a streamed one (assembled from its deltas)
 * end as one of these.
 */
record LlmAnswer(String text, List<ToolCall> toolCalls, String model, String finishReason, int inputTokens,
                 int outputTokens) {

    LlmAnswer {
        toolCalls = List.copyOf(toolCalls);
    }

    /** An answer with text only. */
    LlmAnswer(String text, String model, String finishReason, int inputTokens, int outputTokens) {
        this(text, List.of(), model, finishReason, inputTokens, outputTokens);
    }

    /**
     * One tool call the model asks for: its id (the provider's {@code id} / {@code tool_use.id}), the tool's name,
     * and its arguments as the JSON text the model wrote (it may not parse: the agent answers that to the model).
     */
    record ToolCall(String id, String name, String arguments) {}
}
