package dev.weft.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.node.Problems;
import dev.weft.registry.NodeRegistry;
import dev.weft.registry.RegisteredType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Converts a flow exported from Scade ({@code {id, name, config: {nodes, edges}}}, nodes as
 * {@code {id, data: {name, processor, settings}}}) into a Weft flow document, whole: each node keeps its id, name
 * and position; a processor Weft has a node for becomes that node ({@link ScadeProcessors}), any other a
 * {@link ScadePlaceholderNode}; every edge is kept. The answer says what was mapped and what needs attention.
 */
public final class ScadeImport {

    private ScadeImport() {}

    /** A node mapped to a Weft type. */
    public record Mapped(String nodeId, String processor, String type) {}

    /** A node the user has to look at: a placeholder, a credential to choose, a field nothing reads. */
    public record Attention(String nodeId, String processor, String reason) {}

    /** The converted document and the import's report. */
    public record Imported(ObjectNode document, List<Mapped> mapped, List<Attention> needsAttention) {

        /** {@code {"mapped": [{node_id, processor, type}], "needs_attention": [{node_id, processor, reason}]}}. */
        public ObjectNode report() {
            ObjectNode report = JsonNodeFactory.instance.objectNode();
            ArrayNode mappedJson = report.putArray("mapped");
            for (Mapped m : mapped) {
                mappedJson.addObject().put("node_id", m.nodeId()).put("processor", m.processor()).put("type", m.type());
            }
            ArrayNode attention = report.putArray("needs_attention");
            for (Attention a : needsAttention) {
                attention.addObject().put("node_id", a.nodeId()).put("processor", a.processor())
                        .put("reason", a.reason());
            }
            return report;
        }
    }

    public static boolean isScadeExport(JsonNode document) {
        JsonNode nodes = document.path("config").path("nodes");
        if (!nodes.isArray()) nodes = document.path("nodes");
        return nodes.isArray() && !nodes.isEmpty() && nodes.get(0).path("data").has("processor");
    }

    /**
     * Converts {@code export}. {@code registry} holds the node types this Weft has: a node whose target type it
     * lacks, or whose mapped settings that type would refuse (an image node with no prompt), becomes a placeholder
     * that keeps the target's settings as its suggestion.
     *
     * @throws InvalidFlowException naming the export's fields ({@code config.nodes[2].id},
     *                              {@code config.edges[4].to_node}) when a node has no id or processor, or an
     *                              edge names a node the export does not have
     */
    public static Imported convert(JsonNode export, NodeRegistry registry) {
        JsonNode config = export.path("config").isObject() ? export.path("config") : export;
        String at = config == export ? "" : "config.";
        Problems problems = new Problems();
        JsonNode scadeNodes = config.path("nodes");
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < scadeNodes.size(); i++) {
            JsonNode node = scadeNodes.get(i);
            String path = at + "nodes[" + i + "]";
            if (!node.path("id").isTextual() || node.path("id").asText().isBlank()) {
                problems.add(path + ".id", "every node of a Scade export needs an id (edges name nodes by it)");
            } else {
                ids.add(node.path("id").asText());
            }
            if (!node.path("data").path("processor").isTextual() || node.path("data").path("processor").asText().isBlank()) {
                problems.add(path + ".data.processor", "every node of a Scade export needs its processor (its type)");
            }
        }
        JsonNode scadeEdges = config.path("edges");
        if (!scadeEdges.isMissingNode() && !scadeEdges.isNull() && !scadeEdges.isArray()) {
            problems.add(at + "edges", "must be an array of edges");
        }
        for (int i = 0; i < scadeEdges.size(); i++) {
            for (String end : List.of("from_node", "to_node")) {
                JsonNode id = scadeEdges.get(i).path(end);
                if (!id.isTextual() || !ids.contains(id.asText())) {
                    problems.add(at + "edges[" + i + "]." + end, id.isTextual()
                            ? "no node of the export has id '" + id.asText() + "'" : "is required: the id of a node");
                }
            }
        }
        InvalidFlowException.throwIfAny(problems, "the Scade export is invalid");

        Map<String, Fields> fields = fields(scadeEdges);
        ObjectNode document = JsonNodeFactory.instance.objectNode();
        document.put("name", export.path("name").asText("Imported from Scade"));
        ArrayNode nodes = document.putArray("nodes");
        List<Mapped> mapped = new ArrayList<>();
        List<Attention> attention = new ArrayList<>();
        Map<String, String> types = new LinkedHashMap<>();
        Set<String> uriFields = new HashSet<>();
        for (JsonNode node : scadeNodes) {
            String id = node.path("id").asText();
            String processor = node.path("data").path("processor").asText();
            JsonNode scade = node.path("data").path("settings").isObject() ? node.path("data").path("settings")
                    : JsonNodeFactory.instance.objectNode();
            Fields its = fields.getOrDefault(id, new Fields());
            ObjectNode converted = nodes.addObject();
            converted.put("id", id);
            Optional<ScadeProcessors.Target> target = ScadeProcessors.target(processor, id);
            ScadeSettings.Written written = target.map(t -> write(t, scade, its)).orElse(null);
            Optional<RegisteredType> registered = target.flatMap(t -> registry.find(t.type()));
            Problems refused = new Problems();
            registered.ifPresent(t -> t.validate(written.settings(), refused));
            if (registered.isPresent() && refused.isEmpty()) {
                String type = target.get().type();
                converted.put("type", type);
                types.put(id, type);
                if (type.equals(FlowNode.END)) {
                    scade.path("inputs").fields().forEachRemaining(field -> {
                        if ("uri".equals(field.getValue().path("format").asText())) uriFields.add(field.getKey());
                    });
                }
                converted.set("settings", written.settings());
                if (!type.equals(FlowNode.START) && !type.equals(FlowNode.END)) {
                    mapped.add(new Mapped(id, processor, type));
                    if (!type.equals(ScadeProcessors.IF)) {
                        attention.add(new Attention(id, processor, "choose the credential (" + provider(target.get())
                                + ") in the node's settings"));
                    }
                }
                for (String field : written.unread()) {
                    attention.add(new Attention(id, processor, "input field '" + field
                            + "' is mapped into the node but no setting reads it; use {{" + field + "}} in one"));
                }
            } else {
                converted.put("type", ScadePlaceholderNode.TYPE);
                converted.set("settings", placeholder(processor, scade, its, target.orElse(null), written));
                attention.add(new Attention(id, processor, placeholderReason(target.orElse(null), registered.isPresent(),
                        refused)));
            }
            String name = node.path("data").path("name").asText(null);
            if (name != null) converted.put("name", name);
            if (node.has("position")) converted.set("position", node.get("position"));
        }
        ArrayNode edges = document.putArray("edges");
        for (JsonNode edge : scadeEdges) {
            ObjectNode converted = edges.addObject();
            converted.set("from_node", edge.get("from_node"));
            converted.set("to_node", edge.get("to_node"));
            converted.set("fields_mapping", mappings(edge, types, uriFields));
        }
        return new Imported(document, List.copyOf(mapped), List.copyOf(attention));
    }

    /**
     * An edge's field mappings, with Scade's {@code success} of a model or language model read as Scade gives it:
     * the model's main value rather than Weft's whole answer ({@code output}, or the first stored file's URL where
     * the end field is a {@code uri}, as Scade answers an image model's URL; a language model's {@code text}).
     */
    private static JsonNode mappings(JsonNode edge, Map<String, String> types, Set<String> uriFields) {
        String from = types.get(edge.path("from_node").asText());
        boolean toEnd = FlowNode.END.equals(types.get(edge.path("to_node").asText()));
        if (!ScadeProcessors.MODEL.equals(from) && !ScadeProcessors.LLM.equals(from)) return edge.get("fields_mapping");
        ArrayNode mappings = JsonNodeFactory.instance.arrayNode();
        for (JsonNode mapping : edge.path("fields_mapping")) {
            ObjectNode copy = mapping.deepCopy();
            if ("success".equals(mapping.path("from_field").asText())) {
                String to = mapping.path("to_field").asText();
                copy.put("from_field", ScadeProcessors.LLM.equals(from) ? "success.text"
                        : toEnd && uriFields.contains(to) ? "success.files.0.url" : "success.output");
            }
            mappings.add(copy);
        }
        return mappings;
    }

    /** The input fields edges map into each node, and the fields edges take from it, in the export's order. */
    private static final class Fields {
        final Set<String> in = new LinkedHashSet<>();
        final Set<String> out = new LinkedHashSet<>();
    }

    private static Map<String, Fields> fields(JsonNode edges) {
        Map<String, Fields> fields = new LinkedHashMap<>();
        for (JsonNode edge : edges) {
            for (JsonNode mapping : edge.path("fields_mapping")) {
                String to = mapping.path("to_field").asText("");
                if (!to.isEmpty() && !to.equals("@")) {
                    fields.computeIfAbsent(edge.path("to_node").asText(), k -> new Fields()).in.add(to.split("\\.")[0]);
                }
                String from = mapping.path("from_field").asText("");
                if (!from.isEmpty()) {
                    fields.computeIfAbsent(edge.path("from_node").asText(), k -> new Fields()).out.add(from.split("\\.")[0]);
                }
            }
        }
        return fields;
    }

    private static ScadeSettings.Written write(ScadeProcessors.Target target, JsonNode scade, Fields fields) {
        return switch (target.type()) {
            case FlowNode.START, FlowNode.END, ScadeProcessors.IF -> new ScadeSettings.Written(flowSettings(target.type(), scade), List.of());
            default -> ScadeSettings.write(target, scade, List.copyOf(fields.in));
        };
    }

    private static ObjectNode placeholder(String processor, JsonNode scade, Fields fields,
                                          ScadeProcessors.Target target, ScadeSettings.Written written) {
        ObjectNode settings = JsonNodeFactory.instance.objectNode();
        settings.put("processor", processor);
        settings.set("scade_settings", scade.deepCopy());
        ArrayNode in = settings.putArray("inputs");
        fields.in.forEach(in::add);
        ArrayNode out = settings.putArray("outputs");
        fields.out.forEach(out::add);
        if (target != null && written != null) {
            ObjectNode suggestion = settings.putObject("suggestion");
            suggestion.put("type", target.type());
            suggestion.set("settings", written.settings());
        }
        return settings;
    }

    private static String placeholderReason(ScadeProcessors.Target target, boolean registered, Problems refused) {
        if (target == null) return "Weft has no node for this Scade processor; kept as a placeholder that needs replacing";
        String kept = "; kept as a placeholder that needs replacing (settings.suggestion holds the " + target.type()
                + " node's settings)";
        if (!registered) return "this Weft has no '" + target.type() + "' node type" + kept;
        return "the " + target.type() + " node it maps to would be invalid (" + String.join("; ",
                refused.list().stream().map(p -> p.field().isEmpty() ? p.message() : "settings." + p).toList()) + ")" + kept;
    }

    private static String provider(ScadeProcessors.Target target) {
        return switch (target.type()) {
            case ScadeProcessors.MODEL -> "a Replicate API token";
            case ScadeProcessors.LLM -> "anthropic".equals(target.provider()) ? "an Anthropic API key" : "an OpenAI API key";
            default -> "an OpenAI API key";
        };
    }

    private static ObjectNode flowSettings(String type, JsonNode scade) {
        ObjectNode settings = JsonNodeFactory.instance.objectNode();
        switch (type) {
            case FlowNode.START -> {
                settings.set("inputs", scade.path("inputs").isObject() ? scade.get("inputs") : settings.objectNode());
                if (scade.path("data").isObject()) settings.set("data", scade.get("data"));
            }
            case FlowNode.END -> settings.set("outputs",
                    scade.path("inputs").isObject() ? scade.get("inputs") : settings.objectNode());
            default -> {
                // Scade's IF reads its condition from the mapped input field "condition"; a blank saved one is unset.
                JsonNode condition = scade.get("condition");
                if (condition != null && !(condition.isTextual() && condition.asText().isBlank())) {
                    settings.set("condition", condition);
                }
            }
        }
        return settings;
    }
}
