package dev.weft.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the settings of the Weft node a Scade node maps to: the Scade settings carried over under Weft's names,
 * and every field an edge maps into the node read as a {@code "{{field}}"} reference, so the edges still deliver
 * (in Scade a mapped field replaces the setting of the same name). The credential is left out, to be chosen; a
 * main setting nothing supplies (an image's prompt) is left out too, and the type's check says so.
 */
final class ScadeSettings {

    /**
     * The settings, and the mapped fields no setting reads (kept on the node, reported to the user).
     *
     * @param settings the Weft settings
     * @param unread   mapped input fields the Weft node does not read
     */
    record Written(ObjectNode settings, List<String> unread) {}

    /** Scade setting names -> the Weft setting they become, per target type; the first named is the main one. */
    private static final Map<String, Map<String, String>> ALIASES = Map.of(
            ScadeProcessors.LLM, aliases("user",
                    "prompt", "user", "user", "user", "text", "user", "input", "user", "message", "user",
                    "query", "user", "question", "user", "user_prompt", "user",
                    "system", "system", "system_prompt", "system", "instructions", "system"),
            ScadeProcessors.IMAGE, aliases("prompt",
                    "prompt", "prompt", "text", "prompt", "input", "prompt", "size", "size", "n", "n",
                    "num_images", "n", "quality", "quality", "image", "image", "input_image", "image", "mask", "mask"),
            ScadeProcessors.TRANSCRIBE, aliases("audio",
                    "audio", "audio", "file", "audio", "audio_url", "audio", "url", "audio", "input", "audio",
                    "audio_file", "audio", "language", "language", "prompt", "prompt", "temperature", "temperature"),
            ScadeProcessors.SPEECH, aliases("input",
                    "input", "input", "text", "input", "prompt", "input", "voice", "voice", "format", "format",
                    "response_format", "format", "speed", "speed"));
    /** The llm settings Scade's may carry under the same name. */
    private static final List<String> LLM_NUMBERS = List.of("temperature", "max_tokens");

    private ScadeSettings() {}

    static Written write(ScadeProcessors.Target target, JsonNode scade, List<String> mapped) {
        ObjectNode settings = JsonNodeFactory.instance.objectNode();
        List<String> unread = new ArrayList<>();
        if (ScadeProcessors.MODEL.equals(target.type())) {
            settings.put("model", target.model());
            ObjectNode input = settings.putObject("input");
            // null is Scade's "not set"; a prediction API refuses null for a typed input
            scade.fields().forEachRemaining(f -> { if (!f.getValue().isNull()) input.set(f.getKey(), f.getValue()); });
            for (String field : mapped) input.put(field, reference(field));
            return new Written(settings, unread);
        }
        Map<String, String> aliases = ALIASES.get(target.type());
        String main = aliases.get("");
        String model = scade.path("model").isTextual() && !scade.path("model").asText().isBlank()
                ? scade.path("model").asText() : target.model();
        if (target.provider() != null) settings.put("provider", target.provider());
        settings.put("model", model);
        if (ScadeProcessors.IMAGE.equals(target.type())) settings.put("operation", "generate");
        scade.fields().forEachRemaining(f -> {
            String weft = aliases.get(f.getKey());
            if (weft != null && !settings.has(weft) && (f.getValue().isTextual() || f.getValue().isNumber())) {
                settings.set(weft, f.getValue());
            }
        });
        if (ScadeProcessors.LLM.equals(target.type())) {
            for (String number : LLM_NUMBERS) if (scade.path(number).isNumber()) settings.set(number, scade.get(number));
        }
        for (String field : mapped) {
            String weft = aliases.get(field);
            if (weft != null) settings.put(weft, reference(field));
            else if (ScadeProcessors.LLM.equals(target.type())) appendTo(settings, main, field);
            else if (!settings.has(main) || settings.path(main).asText().isBlank()) settings.put(main, reference(field));
            else unread.add(field);
        }
        if (ScadeProcessors.IMAGE.equals(target.type()) && settings.has("image")) settings.put("operation", "edit");
        return new Written(settings, unread);
    }

    /** A field that has no setting of its own joins the llm's prompt, after what it says already. */
    private static void appendTo(ObjectNode settings, String main, String field) {
        String text = settings.path(main).asText("");
        settings.put(main, text.isBlank() ? reference(field) : text + "\n\n" + reference(field));
    }

    static String reference(String field) {
        return "{{" + field + "}}";
    }

    /** {@code main} first, then pairs of Scade name -> Weft name; the main setting is kept under "". */
    private static Map<String, String> aliases(String main, String... pairs) {
        Map<String, String> aliases = new LinkedHashMap<>();
        aliases.put("", main);
        for (int i = 0; i < pairs.length; i += 2) aliases.put(pairs[i], pairs[i + 1]);
        return aliases;
    }
}
