package dev.weft.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.json.Json;
import dev.weft.node.Catalogue;
import dev.weft.registry.RegisteredType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A catalogue entry's output types: read from its resource, checked, and what the built-in types declare. */
class CatalogueOutputTypesTest {

    private static Catalogue parse(String outputTypes) {
        return Catalogue.parse(Json.read("{\"outputs\": [\"slug\", \"raw\"], \"output_types\": " + outputTypes
                + ", \"settings\": {\"type\": \"object\"}}"), "slugify");
    }

    @Test
    void an_entry_types_some_of_its_outputs_and_leaves_the_rest_open() {
        assertThat(parse("{\"slug\": \"string\"}").outputTypes()).containsExactly(Map.entry("slug", "string"));
        assertThat(Catalogue.parse(Json.read("{\"settings\": {\"type\": \"object\"}}"), "bare").outputTypes()).isEmpty();
    }

    @Test
    void a_type_json_does_not_have_or_a_field_that_is_not_an_output_makes_the_entry_invalid() {
        assertThatThrownBy(() -> parse("{\"slug\": \"text\"}")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("catalogue entry of slugify").hasMessageContaining("output_types.slug is text");
        assertThatThrownBy(() -> parse("{\"title\": \"string\"}")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("output_types names title, which is not an output");
        assertThatThrownBy(() -> parse("[\"string\"]")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("output_types must be an object");
    }

    @Test
    void the_built_in_types_declare_the_types_the_builder_checks() {
        Map<String, Map<String, String>> declared = new java.util.TreeMap<>();
        for (RegisteredType type : BuiltinNodes.registry(HttpNode.Options.DEFAULT).all()) {
            if (!type.catalogue().outputTypes().isEmpty()) declared.put(type.id(), type.catalogue().outputTypes());
        }
        assertThat(declared).containsOnlyKeys("agent", "http", "if", "llm", "mcp", "template");
        assertThat(declared.get("http")).containsExactly(Map.entry("status", "integer"), Map.entry("headers", "object"));
        assertThat(declared.get("if")).containsExactly(Map.entry("condition", "boolean"));
    }
}
