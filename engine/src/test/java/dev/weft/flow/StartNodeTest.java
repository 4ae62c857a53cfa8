package dev.weft.flow;

import dev.weft.registry.RegisteredType;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.flow.InputField;
import dev.weft.node.Problem;
import dev.weft.node.Problems;
import dev.weft.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class StartNodeTest {

    private static final ObjectNode SETTINGS = (ObjectNode) Json.read("""
            {"inputs": {"prompt": {"type": "string", "required": true, "x-order": 1},
                        "count": {"type": "integer", "default": 2, "x-order": 0},
                        "ratio": {"type": "number"},
                        "image": {"type": "string", "format": "uri"},
                        "flag": {"type": "boolean"}},
             "data": {"prompt": "saved"}}""");
    private static final List<InputField> FIELDS = InputField.readAll(SETTINGS.get("inputs"), new Problems());

    @Test
    void saved_data_and_defaults_satisfy_the_inputs() {
        assertThat(check("{}")).isEmpty();
        assertThat(StartNode.values(SETTINGS)).isEqualTo(Json.read("""
                {"count": 2, "prompt": "saved", "ratio": null, "image": null, "flag": null}"""));
    }

    @Test
    void required_field_without_a_value_is_reported() {
        assertThat(check("{\"prompt\": null}")).containsExactly(new Problem("prompt", "is required (string)"));
    }

    @Test
    void integer_field_refuses_fractions_while_number_field_takes_both() {
        assertThat(check("{\"count\": 2.5}")).containsExactly(new Problem("count", "must be an integer (got a number)"));
        assertThat(check("{\"count\": 3.0, \"ratio\": 1}")).isEmpty();
        assertThat(check("{\"ratio\": 0.25}")).isEmpty();
        assertThat(check("{\"ratio\": [1]}")).containsExactly(new Problem("ratio", "must be a number (got an array)"));
        assertThat(check("{\"flag\": 1}")).containsExactly(new Problem("flag", "must be a boolean (got an integer)"));
    }

    @Test
    void text_forms_of_numbers_and_booleans_are_accepted_and_read_as_their_type() {
        assertThat(check("{\"count\": \"5\", \"ratio\": \"-2.5\", \"flag\": \"true\"}")).isEmpty();
        assertThat(check("{\"count\": \"1e3\", \"ratio\": \"0\", \"flag\": \"False\"}")).isEmpty();

        ObjectNode typed = StartNode.coerce(FIELDS, (ObjectNode) Json.read("""
                {"count": "5", "ratio": "-2.5", "flag": "true", "prompt": "5", "image": "https://example.com/a.png"}"""));

        assertThat(typed).isEqualTo(Json.read("""
                {"count": 5, "ratio": -2.5, "flag": true, "prompt": "5", "image": "https://example.com/a.png"}"""));
        assertThat(typed.get("count").isIntegralNumber()).isTrue();
        assertThat(typed.get("flag").isBoolean()).isTrue();
    }

    @Test
    void ambiguous_text_stays_a_type_error_naming_what_was_sent() {
        assertThat(check("{\"count\": \"5.5\"}")).containsExactly(new Problem("count",
                "must be an integer (got a number)"));
        assertThat(check("{\"ratio\": \"1,5\"}")).containsExactly(new Problem("ratio",
                "must be a number, or a string holding one such as \"5\" (got the string '1,5')"));
        for (String text : List.of("", " 5", "5 ", "+5", "0x10", "05", ".5", "5.", "NaN", "Infinity", "1e400", "five")) {
            assertThat(check(Json.write(Json.object().put("ratio", text)))).as(text).extracting(Problem::field)
                    .containsExactly("ratio");
        }
        for (String text : List.of("yes", "1", "on", "t", "")) {
            assertThat(check(Json.write(Json.object().put("flag", text)))).as(text).containsExactly(new Problem("flag",
                    "must be a boolean, or the string \"true\" or \"false\" (got the string '" + text + "')"));
        }
    }

    @Test
    void coercion_leaves_typed_values_alone_and_returns_the_same_object_when_nothing_changes() {
        ObjectNode given = (ObjectNode) Json.read("{\"count\": 5, \"ratio\": 0.5, \"flag\": false, \"prompt\": \"x\"}");

        assertThat(StartNode.coerce(FIELDS, given)).isSameAs(given);
    }

    @Test
    void an_empty_string_for_a_required_string_input_is_refused_like_a_missing_one() {
        assertThat(check("{\"prompt\": \"\"}")).containsExactly(new Problem("prompt",
                "is required (string); an empty string counts as missing"));
        assertThat(check("{\"image\": \"\"}")).as("an optional uri input still needs a URI").extracting(Problem::field)
                .containsExactly("image");

        ObjectNode withDefault = (ObjectNode) Json.read("""
                {"inputs": {"name": {"type": "string", "required": true, "default": "Ada"},
                            "note": {"type": "string"}}}""");
        List<InputField> fields = InputField.readAll(withDefault.get("inputs"), new Problems());
        Problems problems = new Problems();
        StartNode.checkRunData(withDefault, Json.read("{\"name\": \"\", \"note\": \"\"}"), problems);
        assertThat(problems.list()).as("the default applies, and an optional string may be empty").isEmpty();
        ObjectNode typed = StartNode.coerce(fields, (ObjectNode) Json.read("{\"name\": \"\", \"note\": \"\"}"));
        assertThat(typed).isEqualTo(Json.read("{\"name\": null, \"note\": \"\"}"));
        withDefault.set("data", typed);
        assertThat(StartNode.values(withDefault)).isEqualTo(Json.read("{\"name\": \"Ada\", \"note\": \"\"}"));
    }

    @Test
    void a_saved_empty_string_for_a_required_input_is_missing_too() {
        ObjectNode saved = (ObjectNode) Json.read("""
                {"inputs": {"name": {"type": "string", "required": true}}, "data": {"name": ""}}""");
        Problems problems = new Problems();
        StartNode.checkRunData(saved, null, problems);

        assertThat(problems.list()).containsExactly(new Problem("name",
                "is required (string); an empty string counts as missing"));
    }

    @Test
    void uri_field_needs_an_absolute_uri() {
        assertThat(check("{\"image\": \"https://example.com/a.png\"}")).isEmpty();
        assertThat(check("{\"image\": \"a.png\"}")).extracting(Problem::field).containsExactly("image");
        assertThat(check("{\"image\": \"not a uri\"}")).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("absolute URI"));
    }

    @Test
    void unknown_field_is_reported_with_the_known_inputs() {
        assertThat(check("{\"colour\": \"red\"}")).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("colour");
            assertThat(p.message()).contains("not an input").contains("count, prompt, ratio, image, flag");
        });
    }

    @Test
    void run_data_that_is_not_an_object_is_refused() {
        assertThat(check("\"prompt\"")).containsExactly(new Problem("", "must be an object of input values"));
        assertThat(check("null")).isEmpty();
    }

    @Test
    void every_problem_of_a_run_is_reported() {
        assertThat(check("{\"prompt\": 1, \"count\": \"two\", \"extra\": 0}")).extracting(Problem::field)
                .containsExactlyInAnyOrder("extra", "prompt", "count");
    }

    @Test
    void input_declarations_are_checked_when_the_flow_is_saved() {
        Problems problems = new Problems();
        RegisteredType.of(new StartNode()).validate((ObjectNode) Json.read("""
                {"inputs": {"a": {"type": "text"}, "b": {"type": "string", "format": "email"},
                            "c": {"type": "integer", "default": "one"}, "d": "string"},
                 "data": {"c": 1.5}}"""), problems.at("settings"));

        assertThat(problems.list()).extracting(Problem::field).containsExactly(
                "settings.inputs.a.type", "settings.inputs.b.format", "settings.inputs.c.default",
                "settings.inputs.d", "settings.data.c");
    }

    @Test
    void every_schema_keyword_of_an_input_is_type_checked_at_save() {
        Problems problems = new Problems();
        RegisteredType.of(new StartNode()).validate((ObjectNode) Json.read("""
                {"inputs": {"a": {"type": "string", "required": "yes"}, "b": {"type": 3},
                            "c": {"type": "string", "title": 1, "description": [], "format": true},
                            "d": {"type": "number", "x-order": 1.5, "default": "x"},
                            "e": {"type": "string", "required": false, "title": null, "x-order": 2}}}"""),
                problems.at("settings"));

        assertThat(problems.list()).containsExactly(
                new Problem("settings.inputs.a.required", "must be true or false (got a string)"),
                new Problem("settings.inputs.b.type",
                        "must be one of string, number, integer, boolean, object, array (got an integer)"),
                new Problem("settings.inputs.c.format", "must be a string (got a boolean)"),
                new Problem("settings.inputs.c.title", "must be a string (got an integer)"),
                new Problem("settings.inputs.c.description", "must be a string (got an array)"),
                new Problem("settings.inputs.d.x-order", "must be an integer (got a number)"),
                new Problem("settings.inputs.d.default", "must be a number (got a string)"));
    }

    @Test
    void fields_are_read_in_declared_order() {
        List<InputField> fields = InputField.readAll(SETTINGS.get("inputs"), new Problems());

        assertThat(fields).extracting(InputField::name).containsExactly("count", "prompt", "ratio", "image", "flag");
        assertThat(fields.get(1).required()).isTrue();
    }

    private static List<Problem> check(String overrides) {
        Problems problems = new Problems();
        JsonNode data = Json.read(overrides);
        StartNode.checkRunData(SETTINGS, data, problems);
        return problems.list();
    }
}
