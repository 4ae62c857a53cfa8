package dev.weft.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.node.Problems;
import dev.weft.registry.SettingsSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The {@code llm} node's settings: checked against the rules its schema cannot say, and read once rendered. */
record LlmSettings(LlmProvider provider, String baseUrl, String credential, String model, String system, String user,
                   Double temperature, Integer maxTokens, List<String> stop, boolean json, JsonNode jsonSchema,
                   Duration timeout, int maxRetries, boolean stream, List<String> images) {

    static final int MAX_RETRIES_DEFAULT = 2;

    /** Checks what the schema cannot say: the URL's form, Anthropic's temperature range, the answer's schema. */
    static void check(ObjectNode settings, Problems problems, boolean unrendered) {
        JsonNode baseUrl = settings.get("base_url");
        if (baseUrl != null && baseUrl.isTextual() && !Settings.deferred(baseUrl, unrendered)) {
            String wrong = HttpSettings.urlProblem(baseUrl.asText());
            if (wrong != null) problems.add("base_url", wrong);
        }
        JsonNode temperature = settings.get("temperature");
        if ("anthropic".equals(settings.path("provider").asText()) && temperature != null && temperature.isNumber()
                && temperature.asDouble() > 1) {
            problems.add("temperature", "must be at most 1 for provider anthropic (got " + temperature + ")");
        }
        JsonNode answerSchema = settings.get("json_schema");
        if (answerSchema != null && answerSchema.isObject()) {
            SettingsSchema.checkSchema(answerSchema, problems.at("json_schema"));
        }
    }

    /** Reads rendered settings; throws a {@code settings} failure when they are wrong once rendered. */
    static LlmSettings read(ObjectNode settings, Duration stepTimeout) {
        Problems problems = new Problems();
        check(settings, problems, false);
        Settings.throwIfAny(problems);
        List<String> stop = new ArrayList<>();
        JsonNode stops = settings.path("stop");
        if (stops.isTextual()) stop.add(stops.asText());
        else stops.forEach(s -> stop.add(s.asText()));
        JsonNode answerSchema = settings.get("json_schema");
        boolean hasSchema = answerSchema != null && answerSchema.isObject();
        return new LlmSettings(
                LlmProvider.named(settings.path("provider").asText("openai")).orElse(LlmProvider.OPENAI),
                text(settings, "base_url"), text(settings, "credential"), settings.get("model").asText(),
                text(settings, "system"), settings.get("user").asText(),
                settings.path("temperature").isNumber() ? settings.get("temperature").asDouble() : null,
                settings.path("max_tokens").isIntegralNumber() ? settings.get("max_tokens").asInt() : null,
                stop, hasSchema || settings.path("json").asBoolean(false), hasSchema ? answerSchema : null,
                settings.path("timeout_ms").isIntegralNumber() ? Duration.ofMillis(settings.get("timeout_ms").asLong())
                        : stepTimeout,
                settings.path("max_retries").asInt(MAX_RETRIES_DEFAULT),
                settings.path("stream").asBoolean(true), Images.refs(settings.get("images")));
    }

    private static String text(ObjectNode settings, String name) {
        JsonNode value = settings.get(name);
        return value == null || value.isNull() ? null : value.asText();
    }
}
