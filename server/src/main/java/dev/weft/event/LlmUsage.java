package dev.weft.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.task.StepRecord;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A task's language-model usage: the tokens of its steps whose outputs carry {@code usage} ({@code llm},
 * {@code agent}), summed and per model, with their cost when the admin's {@link LlmPrices} price every model.
 */
public final class LlmUsage {

    private LlmUsage() {}

    /** The tokens of one step that used a model: its provider and model as its outputs name them. */
    public record Call(String provider, String model, long input, long output) {
        /** The call a finished step records, if its outputs have {@code usage}. */
        public static Optional<Call> of(StepRecord step) {
            ObjectNode outputs = step.outputs();
            if (outputs == null) return Optional.empty();
            JsonNode usage = outputs.path("usage");
            if (!usage.path("input_tokens").isNumber() && !usage.path("output_tokens").isNumber()) return Optional.empty();
            return Optional.of(new Call(name(outputs.path("provider")), name(outputs.path("model")),
                    usage.path("input_tokens").asLong(0), usage.path("output_tokens").asLong(0)));
        }

        private static String name(JsonNode value) {
            return value.isTextual() && !value.asText().isBlank() ? value.asText() : "unknown";
        }
    }

    /**
     * {@code {"input_tokens", "output_tokens", "total_tokens", "calls", "cost"?, "by_model": {model: {..., "cost"?}}}},
     * or empty when no step used a model. A model's {@code cost} is there when the price table has it; the total
     * {@code cost} only when every model used has a price (a partial sum would read as the whole).
     */
    public static Optional<ObjectNode> of(List<StepRecord> steps, LlmPrices prices) {
        Map<String, long[]> byModel = new TreeMap<>();
        for (StepRecord step : steps) {
            Call.of(step).ifPresent(call -> {
                long[] sums = byModel.computeIfAbsent(call.model(), m -> new long[3]);
                sums[0] += call.input();
                sums[1] += call.output();
                sums[2]++;
            });
        }
        if (byModel.isEmpty()) return Optional.empty();
        ObjectNode usage = Json.object();
        ObjectNode models = Json.object();
        long input = 0;
        long output = 0;
        long calls = 0;
        double cost = 0;
        boolean priced = true;
        for (Map.Entry<String, long[]> entry : byModel.entrySet()) {
            long[] sums = entry.getValue();
            ObjectNode model = counts(models.putObject(entry.getKey()), sums[0], sums[1], sums[2]);
            Optional<LlmPrices.Price> price = prices.of(entry.getKey());
            if (price.isPresent()) {
                double c = price.get().cost(sums[0], sums[1]);
                model.put("cost", round(c));
                cost += c;
            } else {
                priced = false;
            }
            input += sums[0];
            output += sums[1];
            calls += sums[2];
        }
        counts(usage, input, output, calls);
        if (priced) usage.put("cost", round(cost));
        usage.set("by_model", models);
        return Optional.of(usage);
    }

    private static ObjectNode counts(ObjectNode json, long input, long output, long calls) {
        return json.put("input_tokens", input).put("output_tokens", output).put("total_tokens", input + output)
                .put("calls", calls);
    }

    /** Costs to 9 decimals: sums of binary fractions would otherwise show noise like 0.30000000000000004. */
    private static double round(double cost) {
        return Math.round(cost * 1e9) / 1e9;
    }
}
