package dev.weft.event;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The admin's price table for language models ({@value #ENV}): per model, what a million input and output tokens
 * cost (in whatever currency the admin writes them). A task's {@code usage} gains a {@code cost} from it.
 *
 * @param byModel prices by model name
 */
public record LlmPrices(Map<String, Price> byModel) {

    /** The environment variable: inline JSON, or the path of a JSON file. */
    public static final String ENV = "WEFT_LLM_PRICES";
    /** No price table: usage without cost. */
    public static final LlmPrices NONE = new LlmPrices(Map.of());

    /** The price of one model per million tokens. */
    public record Price(double inputPerMtok, double outputPerMtok) {
        /** What {@code input} and {@code output} tokens cost. */
        public double cost(long input, long output) {
            return (input * inputPerMtok + output * outputPerMtok) / 1_000_000d;
        }
    }

    public LlmPrices {
        byModel = Map.copyOf(byModel);
    }

    /**
     * The price of {@code model}: its own entry, else the longest entry its name begins with, so
     * {@code gpt-4o-mini} prices the {@code gpt-4o-mini-2024-07-18} a provider names in its answer.
     */
    public Optional<Price> of(String model) {
        Price exact = byModel.get(model);
        if (exact != null) return Optional.of(exact);
        String best = null;
        for (String name : byModel.keySet()) {
            if (model.startsWith(name) && (best == null || name.length() > best.length())) best = name;
        }
        return best == null ? Optional.empty() : Optional.of(byModel.get(best));
    }

    /**
     * Reads {@value #ENV}: {@code {"gpt-4o-mini": {"input_per_mtok": 0.15, "output_per_mtok": 0.6}, ...}}, inline
     * (it starts with a brace) or from the file it names; null or blank is {@link #NONE}.
     *
     * @throws IllegalArgumentException naming {@value #ENV} and what is wrong
     */
    public static LlmPrices parse(String raw) {
        if (raw == null || raw.isBlank()) return NONE;
        String text = raw.trim();
        if (!text.startsWith("{")) {
            try {
                text = Files.readString(Path.of(text));
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException(ENV + ": cannot read the price file '" + raw.trim() + "' ("
                        + e.getClass().getSimpleName() + ")", e);
            }
        }
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(ENV + ": not JSON (" + e.getOriginalMessage() + ")", e);
        }
        if (json == null || !json.isObject()) throw new IllegalArgumentException(ENV + ": must be a JSON object of model -> prices");
        Map<String, Price> prices = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            prices.put(entry.getKey(), new Price(number(entry, "input_per_mtok"), number(entry, "output_per_mtok")));
        }
        return new LlmPrices(prices);
    }

    private static double number(Map.Entry<String, JsonNode> entry, String field) {
        JsonNode value = entry.getValue().path(field);
        if (!value.isNumber() || value.asDouble() < 0) {
            throw new IllegalArgumentException(ENV + ": " + entry.getKey() + "." + field + " must be a number >= 0 (got "
                    + (value.isMissingNode() ? "nothing" : value.toString()) + ")");
        }
        return value.asDouble();
    }
}
