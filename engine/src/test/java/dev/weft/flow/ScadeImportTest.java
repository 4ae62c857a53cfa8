package dev.weft.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.engine.testing.TestNodes;
import dev.weft.json.Json;
import dev.weft.node.Catalogue;
import dev.weft.node.NodeCall;
import dev.weft.node.NodeException;
import dev.weft.node.NodeType;
import dev.weft.node.Problem;
import dev.weft.node.Problems;
import dev.weft.node.Run;
import dev.weft.node.Shape;
import dev.weft.registry.NodeRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScadeImportTest {

    /** The real export of /work/shared/reference: three mlscade/fooocus nodes behind three IF nodes, 20 edges. */
    private static final JsonNode REAL = Json.read(resource("scade/ai-image-genre.json"));
    private static final List<String> FOOOCUS = List.of("tqAT-vetkastar-fooocus", "mbdQ-vetkastar-fooocus",
            "UYiG-vetkastar-fooocus");

    /** A stand-in of a type this branch may lack: any settings, the success port, any fields. */
    private static NodeType stub(String id, String... ports) {
        return new NodeType() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public Catalogue catalogue() {
                Catalogue minimal = Catalogue.minimal(id);
                return ports.length == 0 ? minimal : new Catalogue(id, "logic", "", minimal.settingsSchema(), List.of(),
                        List.of(), new Shape(List.of(ports), Optional.empty(), true), Set.of(), Set.of());
            }

            @Override
            public Run run() {
                return Run.pure(call -> { throw new UnsupportedOperationException(); });
            }
        };
    }

    private static final NodeRegistry WITH_MODEL = TestNodes.registry(stub("if", "true", "false"), stub("model"),
            new ScadePlaceholderNode());
    private static final NodeRegistry WITHOUT_MODEL = TestNodes.registry(stub("if", "true", "false"),
            new ScadePlaceholderNode());

    private static ScadeImport.Imported convert(JsonNode export, NodeRegistry registry) {
        return ScadeImport.convert(export, registry);
    }

    private static JsonNode node(JsonNode document, String id) {
        for (JsonNode node : document.path("nodes")) if (node.path("id").asText().equals(id)) return node;
        throw new AssertionError("no node " + id + " in " + document);
    }

    @Test
    void the_real_export_imports_whole_its_fooocus_nodes_as_replicate_model_nodes() {
        ScadeImport.Imported imported = convert(REAL, WITH_MODEL);

        ObjectNode document = imported.document();
        assertThat(document.path("nodes")).hasSize(8);
        assertThat(document.path("edges")).hasSize(20);
        // Scade answers an image model's "success" as the image's URL: into the end's uri field goes the first file's
        JsonNode expected = edgesOf(REAL);
        int rewritten = 0;
        for (JsonNode edge : expected) {
            if (FOOOCUS.contains(edge.path("from_node").asText()) && edge.path("to_node").asText().equals("end")) {
                ((ObjectNode) edge.path("fields_mapping").get(0)).put("from_field", "success.files.0.url");
                rewritten++;
            }
        }
        assertThat(rewritten).isEqualTo(3);
        assertThat(document.path("edges")).isEqualTo(expected);
        JsonNode fooocus = node(document, "tqAT-vetkastar-fooocus");
        assertThat(fooocus.path("type").asText()).isEqualTo("model");
        assertThat(fooocus.path("name").asText()).isEqualTo("Fooocus");
        assertThat(fooocus.path("settings").path("model").asText()).isEqualTo("vetkastar/fooocus");
        assertThat(fooocus.path("settings").has("credential")).isFalse();
        JsonNode input = fooocus.path("settings").path("input");
        // every field an edge maps in is read from the input field; the other Scade settings are carried as set
        assertThat(input.path("prompt").asText()).isEqualTo("{{prompt}}");
        assertThat(input.path("cn_img1").asText()).isEqualTo("{{cn_img1}}");
        assertThat(input.path("cn_weight4").asText()).isEqualTo("{{cn_weight4}}");
        assertThat(input.path("guidance_scale").asInt()).isEqualTo(16);
        assertThat(input.path("style_selections").asText()).isEqualTo("Fooocus V2,Fooocus Enhance,Fooocus Sharp");
        assertThat(node(document, "mbdQ-vetkastar-fooocus").path("settings").path("input").path("uov_input_image").asText())
                .isEqualTo("{{uov_input_image}}");
        assertThat(node(document, "mbdQ-vetkastar-fooocus").path("settings").path("input").has("cn_img1")).isFalse();
        assertThat(node(document, "wFps-if-condition-stop-execution").path("type").asText()).isEqualTo("if");
        assertThat(node(document, "start").path("position")).isEqualTo(REAL.path("config").path("nodes").get(0).path("position"));

        assertThat(imported.mapped()).extracting(ScadeImport.Mapped::nodeId, ScadeImport.Mapped::type)
                .contains(tuple("tqAT-vetkastar-fooocus", "model"), tuple("mbdQ-vetkastar-fooocus", "model"),
                        tuple("UYiG-vetkastar-fooocus", "model"), tuple("XC4n-if-condition-stop-execution", "if"))
                .hasSize(6);
        assertThat(imported.needsAttention()).extracting(ScadeImport.Attention::nodeId).containsExactlyElementsOf(FOOOCUS);
        assertThat(imported.needsAttention().get(0).reason()).contains("credential").contains("Replicate");

        Flow flow = new FlowValidator(WITH_MODEL).check(document);
        assertThat(flow.edges()).hasSize(20);
    }

    @Test
    void without_a_model_type_the_fooocus_nodes_become_placeholders_that_keep_everything() {
        ScadeImport.Imported imported = convert(REAL, WITHOUT_MODEL);

        JsonNode placeholder = node(imported.document(), "tqAT-vetkastar-fooocus");
        JsonNode scade = REAL.path("config").path("nodes").get(2);
        assertThat(placeholder.path("type").asText()).isEqualTo("scade_placeholder");
        assertThat(placeholder.path("name").asText()).isEqualTo("Fooocus");
        assertThat(placeholder.path("position")).isEqualTo(scade.path("position"));
        JsonNode settings = placeholder.path("settings");
        assertThat(settings.path("processor").asText()).isEqualTo("mlscade/fooocus");
        assertThat(settings.path("scade_settings")).isEqualTo(scade.path("data").path("settings"));
        assertThat(texts(settings.path("inputs"))).containsExactly("cn_img1", "cn_img2", "cn_img3", "cn_img4",
                "cn_weight2", "cn_weight3", "cn_weight4", "prompt", "cn_weight1");
        assertThat(texts(settings.path("outputs"))).containsExactly("success");
        assertThat(settings.path("suggestion").path("type").asText()).isEqualTo("model");
        assertThat(settings.path("suggestion").path("settings").path("model").asText()).isEqualTo("vetkastar/fooocus");
        assertThat(imported.document().path("edges")).isEqualTo(edgesOf(REAL));   // a placeholder's success stays whole
        assertThat(imported.needsAttention()).extracting(ScadeImport.Attention::nodeId).containsExactlyElementsOf(FOOOCUS);
        assertThat(imported.needsAttention().get(0).reason()).contains("no 'model' node type");

        new FlowValidator(WITHOUT_MODEL).check(imported.document());   // the draft saves
        Problems problems = new Problems();
        ScadePlaceholderNode.problems(imported.document(), "publishing", problems);
        assertThat(problems.list()).extracting(Problem::field, Problem::message).containsExactly(
                tuple("nodes[2]", "node 'tqAT-vetkastar-fooocus' (Scade processor 'mlscade/fooocus') needs replacing before publishing"),
                tuple("nodes[3]", "node 'mbdQ-vetkastar-fooocus' (Scade processor 'mlscade/fooocus') needs replacing before publishing"),
                tuple("nodes[4]", "node 'UYiG-vetkastar-fooocus' (Scade processor 'mlscade/fooocus') needs replacing before publishing"));
    }

    @Test
    void a_processor_weft_has_no_node_for_becomes_a_placeholder_whose_edges_still_validate() {
        JsonNode export = export("""
                {"id": "Ab12-expression", "data": {"name": "Expression", "processor": "expression-editor",
                 "settings": {"expression": "{{a}} + 1"}}, "position": {"x": 5, "y": 6}}""",
                edge("start", "Ab12-expression", "text", "a"), edge("Ab12-expression", "end", "success", "out"));

        ScadeImport.Imported imported = convert(export, WITH_MODEL);

        JsonNode node = node(imported.document(), "Ab12-expression");
        assertThat(node.path("type").asText()).isEqualTo("scade_placeholder");
        assertThat(node.path("settings").path("scade_settings").path("expression").asText()).isEqualTo("{{a}} + 1");
        assertThat(node.path("settings").has("suggestion")).isFalse();
        assertThat(imported.mapped()).isEmpty();
        assertThat(imported.needsAttention()).extracting(ScadeImport.Attention::reason)
                .containsExactly("Weft has no node for this Scade processor; kept as a placeholder that needs replacing");
        new FlowValidator(WITH_MODEL).check(imported.document());
    }

    @Test
    void an_llm_processor_becomes_an_llm_node_with_the_model_named_and_mapped_fields_in_its_prompt() {
        JsonNode export = export("""
                {"id": "Gp01-gpt", "data": {"processor": "openai/gpt-4o", "settings":
                  {"prompt": "Summarise this", "system_prompt": "Be brief", "temperature": 0.2}}}""",
                edge("start", "Gp01-gpt", "text", "article"), edge("Gp01-gpt", "end", "text", "out"));

        ScadeImport.Imported imported = convert(export, TestNodes.registry(stub("llm")));

        JsonNode settings = node(imported.document(), "Gp01-gpt").path("settings");
        assertThat(node(imported.document(), "Gp01-gpt").path("type").asText()).isEqualTo("llm");
        assertThat(settings).isEqualTo(Json.read("""
                {"model": "gpt-4o", "user": "Summarise this\\n\\n{{article}}", "system": "Be brief",
                 "temperature": 0.2}"""));
        assertThat(imported.needsAttention()).extracting(ScadeImport.Attention::reason)
                .containsExactly("choose the credential (an OpenAI API key) in the node's settings");

        JsonNode claude = convert(export("""
                {"id": "Cl01-claude", "data": {"processor": "anthropic/claude-3-5-sonnet", "settings": {}}}""",
                edge("start", "Cl01-claude", "text", "prompt")), TestNodes.registry(stub("llm"))).document();
        assertThat(node(claude, "Cl01-claude").path("settings")).isEqualTo(Json.read(
                "{\"provider\": \"anthropic\", \"model\": \"claude-3-5-sonnet\", \"user\": \"{{prompt}}\"}"));
    }

    @Test
    void speech_to_text_text_to_speech_and_openai_images_map_to_transcribe_speech_and_image() {
        JsonNode export = export("""
                {"id": "Wh01-whisper", "data": {"processor": "openai/whisper", "settings": {"language": "en"}}},
                {"id": "Tt01-tts", "data": {"processor": "text-to-speech", "settings": {"voice": "alloy"}}},
                {"id": "Im01-dalle", "data": {"processor": "dall-e-3", "settings": {"size": "1024x1024"}}}""",
                edge("start", "Wh01-whisper", "file", "audio"), edge("Wh01-whisper", "Tt01-tts", "text", "text"),
                edge("start", "Im01-dalle", "text", "prompt"), edge("Tt01-tts", "end", "audio", "out"),
                edge("Im01-dalle", "end", "image", "out"));

        JsonNode document = convert(export, TestNodes.registry(stub("transcribe"), stub("speech"), stub("image")))
                .document();

        assertThat(node(document, "Wh01-whisper").path("type").asText()).isEqualTo("transcribe");
        assertThat(node(document, "Wh01-whisper").path("settings")).isEqualTo(Json.read(
                "{\"model\": \"whisper-1\", \"language\": \"en\", \"audio\": \"{{audio}}\"}"));
        assertThat(node(document, "Tt01-tts").path("type").asText()).isEqualTo("speech");
        assertThat(node(document, "Tt01-tts").path("settings")).isEqualTo(Json.read(
                "{\"model\": \"tts-1\", \"voice\": \"alloy\", \"input\": \"{{text}}\"}"));
        assertThat(node(document, "Im01-dalle").path("type").asText()).isEqualTo("image");
        assertThat(node(document, "Im01-dalle").path("settings")).isEqualTo(Json.read(
                "{\"model\": \"dall-e-3\", \"operation\": \"generate\", \"size\": \"1024x1024\", \"prompt\": \"{{prompt}}\"}"));
    }

    @Test
    void background_removal_and_upscaling_map_to_model_nodes_with_a_replicate_model() {
        JsonNode export = export("""
                {"id": "Rb01-rembg", "data": {"processor": "mlscade/remove-background", "settings": {"alpha": null}}},
                {"id": "Up01-upscale", "data": {"processor": "mlscade/real-esrgan", "settings": {"scale": 4}}},
                {"id": "Xy01-someone-thing", "data": {"processor": "mlscade/thing", "settings": {}}}""",
                edge("start", "Rb01-rembg", "image", "image"), edge("Rb01-rembg", "Up01-upscale", "success", "image"),
                edge("Up01-upscale", "Xy01-someone-thing", "success", "img"), edge("Xy01-someone-thing", "end", "success", "out"));

        JsonNode document = convert(export, TestNodes.registry(stub("model"))).document();

        assertThat(node(document, "Rb01-rembg").path("settings")).isEqualTo(Json.read(
                "{\"model\": \"cjwbw/rembg\", \"input\": {\"image\": \"{{image}}\"}}"));
        assertThat(node(document, "Up01-upscale").path("settings")).isEqualTo(Json.read(
                "{\"model\": \"nightmareai/real-esrgan\", \"input\": {\"scale\": 4, \"image\": \"{{image}}\"}}"));
        // a Scade model processor not in the table is named after the Replicate model its node id carries
        assertThat(node(document, "Xy01-someone-thing").path("settings").path("model").asText()).isEqualTo("someone/thing");
    }

    @Test
    void a_mapping_the_target_type_would_refuse_becomes_a_placeholder_saying_why() {
        NodeType image = new NodeType() {
            @Override
            public String id() {
                return "image";
            }

            @Override
            public Catalogue catalogue() {
                return Catalogue.minimal(id());
            }

            @Override
            public void check(ObjectNode settings, Problems problems) {
                if (!settings.has("prompt")) problems.add("prompt", "is required");
            }

            @Override
            public Run run() {
                return Run.pure(call -> { throw new UnsupportedOperationException(); });
            }
        };
        JsonNode export = export("""
                {"id": "Im01-dalle", "data": {"processor": "dall-e-3", "settings": {"size": "1024x1024"}}}""",
                edge("start", "Im01-dalle", "text", "@"), edge("Im01-dalle", "end", "image", "out"));

        ScadeImport.Imported imported = convert(export, TestNodes.registry(image, new ScadePlaceholderNode()));

        JsonNode node = node(imported.document(), "Im01-dalle");
        assertThat(node.path("type").asText()).isEqualTo("scade_placeholder");
        assertThat(node.path("settings").path("suggestion")).isEqualTo(Json.read("""
                {"type": "image", "settings": {"model": "dall-e-3", "operation": "generate", "size": "1024x1024"}}"""));
        assertThat(imported.mapped()).isEmpty();
        assertThat(imported.needsAttention()).extracting(ScadeImport.Attention::reason).containsExactly(
                "the image node it maps to would be invalid (settings.prompt: is required); kept as a placeholder that"
                + " needs replacing (settings.suggestion holds the image node's settings)");
        new FlowValidator(TestNodes.registry(image, new ScadePlaceholderNode())).check(imported.document());
    }

    @Test
    void an_edge_naming_a_node_the_export_lacks_is_refused_naming_the_edge() {
        JsonNode export = export("", edge("start", "gone", "text", "a"), edge("nowhere", "end", "text", "out"));

        InvalidFlowException e = catchThrowableOfType(() -> convert(export, WITH_MODEL), InvalidFlowException.class);

        assertThat(e.problems()).extracting(Problem::field, Problem::message).containsExactly(
                tuple("config.edges[0].to_node", "no node of the export has id 'gone'"),
                tuple("config.edges[1].from_node", "no node of the export has id 'nowhere'"));
    }

    @Test
    void a_node_without_an_id_or_processor_is_refused_naming_it() {
        JsonNode export = export("""
                {"data": {"processor": "openai/gpt-4o", "settings": {}}},
                {"id": "Ok01-x", "data": {"settings": {}}}""");

        InvalidFlowException e = catchThrowableOfType(() -> convert(export, WITH_MODEL), InvalidFlowException.class);

        assertThat(e.problems()).extracting(Problem::field).containsExactly("config.nodes[2].id",
                "config.nodes[3].data.processor");
    }

    @Test
    void a_run_that_reaches_a_placeholder_fails_naming_it_without_retrying() {
        ObjectNode settings = (ObjectNode) Json.read("{\"processor\": \"expression-editor\"}");
        NodeCall call = new NodeCall(1, "Ab12-expression", settings, Json.object(), 1, Duration.ofSeconds(1));

        NodeException e = catchThrowableOfType(() -> new ScadePlaceholderNode().run(call), NodeException.class);

        assertThat(e.type()).isEqualTo("needs_replacing");
        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).startsWith("node 'Ab12-expression' (Scade processor 'expression-editor') needs replacing");
    }

    /** A Scade export: a start with input "text", an end with output "out", then {@code nodes}. */
    private static JsonNode export(String nodes, String... edges) {
        return Json.read("""
                {"id": 1, "name": "Test", "config": {"nodes": [
                  {"id": "start", "data": {"name": "Start", "processor": "start", "settings": {
                    "inputs": {"text": {"type": "string"}, "file": {"type": "string", "format": "uri"},
                               "image": {"type": "string", "format": "uri"}}, "data": {}}}},
                  {"id": "end", "data": {"name": "End", "processor": "end", "settings": {
                    "inputs": {"out": {"type": "string"}}}}}%s%s],
                 "edges": [%s]}}""".formatted(nodes.isEmpty() ? "" : ",", nodes, String.join(",", edges)));
    }

    private static String edge(String from, String to, String fromField, String toField) {
        return "{\"from_node\": \"%s\", \"to_node\": \"%s\", \"fields_mapping\": [{\"from_field\": \"%s\", \"to_field\": \"%s\"}]}"
                .formatted(from, to, fromField, toField);
    }

    private static JsonNode edgesOf(JsonNode export) {
        com.fasterxml.jackson.databind.node.ArrayNode edges = Json.MAPPER.createArrayNode();
        for (JsonNode edge : export.path("config").path("edges")) {
            edges.addObject().set("from_node", edge.get("from_node"));
            ((ObjectNode) edges.get(edges.size() - 1)).set("to_node", edge.get("to_node"));
            ((ObjectNode) edges.get(edges.size() - 1)).set("fields_mapping", edge.get("fields_mapping").deepCopy());
        }
        return edges;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }

    private static String resource(String name) {
        try (InputStream in = ScadeImportTest.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
