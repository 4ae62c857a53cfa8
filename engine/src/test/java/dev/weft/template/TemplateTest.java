package dev.weft.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.json.Json;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class TemplateTest {

    private static final JsonNode DATA = Json.read("""
            {"user": {"name": "Ada", "tags": ["x", "y"], "age": 36, "admin": true, "none": null},
             "items": [{"id": 1}, {"id": 2}]}""");
    private static final Function<String, JsonNode> RESOLVE = ref -> Paths.at(DATA, Template.segments(ref), 0);

    @Test
    void placeholder_that_is_never_closed_is_an_error_with_its_position() {
        assertThatThrownBy(() -> Template.parse("hi {{ user.name }} and {{ user"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'{{' at character 23 is never closed with '}}'");
    }

    @Test
    void empty_placeholder_is_an_error() {
        assertThatThrownBy(() -> Template.parse("a {{  }}")).hasMessageContaining("empty placeholder");
    }

    @Test
    void reference_that_is_not_a_dotted_path_is_an_error() {
        for (String text : new String[] {"{{ .a }}", "{{ a. }}", "{{ a..b }}"}) {
            assertThatThrownBy(() -> Template.parse(text)).as(text).hasMessageContaining("is not a dotted path");
        }
    }

    @Test
    void references_are_listed_trimmed_in_order() {
        assertThat(Template.parse("{{ a.b }}-{{c}}-{{ a.b }}").references()).containsExactly("a.b", "c", "a.b");
        assertThat(Template.hasPlaceholders("no braces } here")).isFalse();
    }

    @Test
    void lone_placeholder_renders_the_raw_json_value() {
        assertThat(render("{{ user }}")).isEqualTo(DATA.get("user"));
        assertThat(render("{{user.age}}")).isEqualTo(Json.read("36"));
        assertThat(render("{{user.admin}}")).isEqualTo(Json.read("true"));
        assertThat(render("{{user.none}}").isNull()).isTrue();
        assertThat(render("{{user.missing}}").isNull()).as("a lone reference that finds nothing is null").isTrue();
    }

    @Test
    void text_around_placeholders_renders_as_text() {
        assertThat(render("{{user.name}} is {{user.age}}; admin={{user.admin}} none=[{{user.none}}]").asText())
                .isEqualTo("Ada is 36; admin=true none=[]");
        assertThat(render(" {{user.tags}}").asText()).isEqualTo(" [\"x\",\"y\"]");
        assertThat(render("plain").asText()).isEqualTo("plain");
    }

    @Test
    void dotted_paths_follow_objects_and_array_indexes() {
        assertThat(render("{{user.tags.1}}").asText()).isEqualTo("y");
        assertThat(render("{{items.0.id}}")).isEqualTo(Json.read("1"));
        assertThat(render("[{{items.5.id}}][{{items.x}}][{{user.name.first}}]").asText()).isEqualTo("[][][]");
        assertThat(Paths.at(DATA, Template.segments("items.-1"), 0).isMissingNode()).isTrue();
    }

    private static JsonNode render(String text) {
        return Template.parse(text).renderValue(RESOLVE);
    }
}
