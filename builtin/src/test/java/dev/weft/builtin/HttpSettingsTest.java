package dev.weft.builtin;

import static dev.weft.builtin.Calls.problems;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HttpSettingsTest {

    private final HttpNode node = new HttpNode(HttpNode.Options.DEFAULT);

    @Test
    void a_missing_or_relative_or_non_http_url_is_a_problem_at_url() {
        assertThat(problems(node, "{}")).containsExactly("url: is required");
        assertThat(problems(node, "{'url': '/items'}")).containsExactly("url: must be an absolute http(s) URL such as"
                + " https://api.example.com/items (got /items)");
        assertThat(problems(node, "{'url': 'ftp://files.example.com/a'}")).hasSize(1);
        assertThat(problems(node, "{'url': 'http://api.example.com:99999/'}"))
                .containsExactly("url: must be an absolute http(s) URL (port 99999 is out of range)");
        assertThat(problems(node, "{'url': 'https://exa mple.com'}")).singleElement().asString()
                .startsWith("url: must be an absolute http(s) URL (Illegal character");
    }

    @Test
    void a_url_with_placeholders_is_checked_only_once_rendered() {
        assertThat(problems(node, "{'url': '{{start.base}}/items/{{start.id}}'}")).isEmpty();
    }

    @Test
    void every_other_bad_setting_is_a_problem_at_its_own_path() {
        assertThat(problems(node, "{'url': 'https://api.example.com', 'method': 'FETCH',"
                + " 'query': {'q': {'nested': 1}}, 'headers': {'Host': 'x', 'Bad Name': 'y', 'X-Ok': ['list']},"
                + " 'response': 'xml', 'timeout_ms': 0, 'fail_on_status': 'yes'}"))
                .containsExactly(
                        "method: must be one of GET, POST, PUT, PATCH, DELETE, HEAD (got \"FETCH\")",
                        "query.q: must be text, a number or a boolean, or a list of them (got an object)",
                        "headers.Host: is set by the HTTP client and cannot be given",
                        "headers.Bad Name: is not a valid header name",
                        "headers.X-Ok: must be text, a number or a boolean (got an array)",
                        "response: must be auto, json or text (got \"xml\")",
                        "timeout_ms: must be a whole number of milliseconds from 1 to 600000 (got 0)",
                        "fail_on_status: must be true or false (got \"yes\")");
    }

    @Test
    void well_formed_settings_have_no_problem() {
        assertThat(problems(node, "{'url': 'https://api.example.com/items', 'method': 'post',"
                + " 'query': {'tag': ['a', 'b'], 'page': 1}, 'headers': {'Authorization': 'Bearer {{start.token}}'},"
                + " 'body': {'any': ['json']}, 'response': 'json', 'timeout_ms': 2000, 'fail_on_status': false}"))
                .isEmpty();
    }
}
