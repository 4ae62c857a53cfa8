package dev.weft.builtin;

/** What a provider answered, in Weft's terms: the text, the model that answered, why it stopped, token counts. */
record LlmAnswer(String text, String model, String finishReason, int inputTokens, int outputTokens) {}
