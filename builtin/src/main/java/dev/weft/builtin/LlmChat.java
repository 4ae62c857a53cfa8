package dev.weft.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One request of a conversation with tools, as the {@code agent} node sends it through an {@link LlmProvider}: the
 * messages in the agent's neutral form (see {@link AgentNode}), the tools the model may call, and the answer's form.
 *
 * @param model       the model's name
 * @param system      the system prompt, or null
 * @param messages    the conversation so far, oldest first, in the neutral form
 * @param tools       the tools offered
 * @param toolChoice  {@code auto}, {@code none}, {@code required} or a tool's name; null for the provider's default
 * @param temperature the sampling temperature, or null
 * @param maxTokens   the answer's token limit, or null
 * @param json        true to ask for one JSON value as the final answer
 * @param jsonSchema  the final answer's JSON Schema, or null
 * @param images      the images of the last user message (the prompt of this run), sent after its text
 */
record LlmChat(String model, String system, List<ObjectNode> messages, List<Tool> tools, String toolChoice,
               Double temperature, Integer maxTokens, boolean json, JsonNode jsonSchema, List<Images.Image> images) {

    LlmChat {
        messages = List.copyOf(messages);
        tools = List.copyOf(tools);
        images = List.copyOf(images);
    }

    /** The index of the message the images go with: the last user message; -1 when there is none. */
    int imagesAt() {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if ("user".equals(messages.get(i).path("role").asText())) return i;
        }
        return -1;
    }

    /** A tool as the model sees it: a name, what it does, and the JSON Schema of its arguments. */
    record Tool(String name, String description, JsonNode parameters) {}
}
