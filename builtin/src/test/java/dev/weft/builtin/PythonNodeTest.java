package dev.weft.builtin;

import static dev.weft.builtin.Calls.call;
import static dev.weft.builtin.Calls.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.node.NodeException;
import dev.weft.node.NodeOutput;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The python node on the real sandbox (bubblewrap and the OS's python3): results, errors, logs, modules. */
class PythonNodeTest {

    static final PythonRuntime RUNTIME = new PythonRuntime();
    private final PythonNode node = new PythonNode(RUNTIME);

    @AfterAll
    static void close() {
        RUNTIME.close();
    }

    static ObjectNode settings(String code, String more) {
        ObjectNode settings = json("{" + more + "}");
        settings.put("code", code);
        return settings;
    }

    static NodeOutput run(PythonNode node, String code, String inputs) throws Exception {
        return node.run(call(settings(code, ""), json(inputs)));
    }

    static NodeException failure(PythonNode node, String code, String more) throws Exception {
        try {
            node.run(call(settings(code, more), json("{}")));
        } catch (NodeException e) {
            return e;
        }
        throw new AssertionError("the code did not fail");
    }

    @Test
    void inputs_arrive_as_a_dict_and_the_returned_dict_is_the_output_with_the_printed_lines() throws Exception {
        NodeOutput output = run(node, """
                total = sum(inputs['items'])
                print('adding', len(inputs['items']), 'items')
                print('second', 'line', sep='-')
                return {'total': total, 'name': inputs['name'].upper(), 'tags': inputs['tags'] + ['x']}""",
                "{'name': 'ada', 'items': [1, 2, 3], 'tags': ['a']}");

        ObjectNode expected = json("{'total': 6, 'name': 'ADA', 'tags': ['a', 'x']}");
        expected.putArray("logs").add("adding 3 items").add("second-line");
        assertThat(output.data()).isEqualTo(expected);
    }

    @Test
    void a_value_that_is_not_a_dict_is_emitted_as_result_and_nothing_returned_is_an_empty_output() throws Exception {
        assertThat(run(node, "return [1, 2]", "{}").data()).isEqualTo(json("{'result': [1, 2], 'logs': []}"));
        assertThat(run(node, "x = 1", "{}").data()).isEqualTo(json("{'logs': []}"));
    }

    @Test
    void a_raised_error_fails_the_step_with_its_message_and_the_line_of_the_body() throws Exception {
        NodeException e = failure(node, "a = 1\n\nraise ValueError('no ' + 'luck')", "");

        assertThat(e.type()).isEqualTo("python_error");
        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).isEqualTo("ValueError: no luck (line 3)");
    }

    @Test
    void an_error_inside_a_helper_function_names_the_line_in_the_body_where_it_was_raised() throws Exception {
        String code = """
                def half(x):
                    return x / 0
                return {'h': half(4)}""";

        assertThat(failure(node, code, "").getMessage()).isEqualTo("ZeroDivisionError: division by zero (line 2)");
    }

    @Test
    void code_that_does_not_parse_fails_with_the_syntax_error_and_its_line() throws Exception {
        NodeException e = failure(node, "x = 1\nif x\n    return {}", "");

        assertThat(e.type()).isEqualTo("python_error");
        assertThat(e.getMessage()).isEqualTo("SyntaxError: expected ':' (line 2)");
    }

    @Test
    void a_multi_line_string_keeps_its_text_as_written() throws Exception {
        String code = "text = '''first\nsecond\n  third'''\nreturn {'text': text}";

        assertThat(run(node, code, "{}").data().get("text").asText()).isEqualTo("first\nsecond\n  third");
    }

    @Test
    void a_returned_value_that_is_not_json_fails_the_step() throws Exception {
        NodeException e = failure(node, "return {'s': {1, 2}}", "");

        assertThat(e.type()).isEqualTo("python_error");
        assertThat(e.getMessage()).contains("not JSON").contains("set");
    }

    @Test
    void each_allowed_module_imports_and_works() throws Exception {
        String code = """
                import json, re, math, statistics, datetime, itertools, collections, decimal, random, string
                import textwrap, base64, hashlib, uuid
                from collections import Counter
                return {
                  'json': json.loads('[1]'), 're': re.sub(r'\\d', '#', 'a1b2'), 'math': math.isqrt(17),
                  'statistics': statistics.median([3, 1, 2]),
                  'datetime': datetime.datetime.strptime('2026-12-04', '%Y-%m-%d').date().isoformat(),
                  'itertools': list(itertools.accumulate([1, 2, 3])), 'collections': Counter('aab')['a'],
                  'decimal': str(decimal.Decimal('0.1') + decimal.Decimal('0.2')), 'random': 0 <= random.random() < 1,
                  'string': string.ascii_lowercase[:3], 'textwrap': textwrap.wrap('aaa bbb', 3),
                  'base64': base64.b64encode(b'weft').decode(), 'hashlib': hashlib.sha256(b'weft').hexdigest()[:8],
                  'uuid': len(str(uuid.uuid4())),
                }""";

        ObjectNode expected = json("""
                {'json': [1], 're': 'a#b#', 'math': 4, 'statistics': 2, 'datetime': '2026-12-04',
                 'itertools': [1, 3, 6], 'collections': 2, 'decimal': '0.3', 'random': true, 'string': 'abc',
                 'textwrap': ['aaa', 'bbb'], 'base64': 'd2VmdA==', 'hashlib': '%s', 'uuid': 36, 'logs': []}"""
                .formatted(sha256Prefix("weft")));
        assertThat(run(node, code, "{}").data()).isEqualTo(expected);
    }

    @Test
    void a_module_outside_the_list_cannot_be_imported() throws Exception {
        for (String module : List.of("os", "sys", "subprocess", "socket", "ctypes", "io", "importlib", "threading")) {
            NodeException e = failure(node, "import " + module, "");
            assertThat(e.getMessage()).as(module).startsWith("ImportError: import of '" + module + "' is not allowed");
        }
        assertThat(failure(node, "from os import path", "").getMessage()).startsWith("ImportError: import of 'os'");
    }

    @Test
    void random_numbers_differ_between_runs() throws Exception {
        String code = "import random\nreturn {'n': random.getrandbits(64)}";

        assertThat(run(node, code, "{}").data().get("n")).isNotEqualTo(run(node, code, "{}").data().get("n"));
    }

    @Test
    void many_runs_in_flight_at_once_each_get_their_own_answer() throws Exception {
        List<CompletableFuture<ObjectNode>> answers = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            answers.add(RUNTIME.run("return {'twice': inputs['n'] * 2}", json("{'n': " + i + "}"), 5_000, 64));
        }
        for (int i = 0; i < 16; i++) {
            assertThat(answers.get(i).get().get("output")).isEqualTo(json("{'twice': " + (2 * i) + "}"));
        }
    }

    @Test
    void without_bubblewrap_the_node_fails_naming_what_to_install_and_runs_nothing() throws Exception {
        try (PythonRuntime missing = new PythonRuntime(Path.of("/nonexistent/bwrap"), Path.of("/usr/bin/python3"))) {
            NodeException e = failure(new PythonNode(missing), "return {}", "");

            assertThat(e.type()).isEqualTo("python_unavailable");
            assertThat(e.getMessage()).contains("/nonexistent/bwrap is missing")
                    .contains("apt-get install bubblewrap python3 python3-seccomp");
        }
    }

    private static String sha256Prefix(String text) throws Exception {
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes());
        return java.util.HexFormat.of().formatHex(digest).substring(0, 8);
    }
}
