package dev.weft.builtin;

import static dev.weft.builtin.Calls.call;
import static dev.weft.builtin.Calls.json;
import static dev.weft.builtin.Calls.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.node.NodeException;
import dev.weft.node.NodeOutput;
import java.util.List;
import org.junit.jupiter.api.Test;

class CodeNodeTest {

    private final CodeNode node = new CodeNode();

    private static ObjectNode code(String code, String more) {
        ObjectNode settings = json("{" + more + "}");
        settings.put("code", code);
        return settings;
    }

    private NodeOutput run(String code, String inputs) throws InterruptedException {
        return node.run(call(code(code, ""), json(inputs)));
    }

    private NodeException failure(String code, String more) {
        try {
            node.run(call(code(code, more), json("{}")));
        } catch (NodeException e) {
            return e;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("the code did not fail");
    }

    @Test
    void inputs_arrive_as_an_object_and_the_returned_object_is_the_output_with_the_console_lines() throws Exception {
        NodeOutput output = run("""
                const total = inputs.items.reduce((a, b) => a + b, 0);
                console.log('adding', inputs.items.length, 'items', {first: inputs.items[0]});
                console.warn(`total ${total}`);
                return {total, name: inputs.name?.toUpperCase() ?? 'nobody', tags: [...inputs.tags, 'x']};""",
                "{'name': 'ada', 'items': [1, 2, 3], 'tags': ['a']}");

        ObjectNode expected = json("{'total': 6, 'name': 'ADA', 'tags': ['a', 'x']}");
        expected.putArray("logs").add("adding 3 items {\"first\":1}").add("warn: total 6");
        assertThat(output.data()).isEqualTo(expected);
    }

    @Test
    void a_value_that_is_not_an_object_is_emitted_as_result_and_nothing_returned_is_an_empty_output() throws Exception {
        assertThat(run("return [1, 2];", "{}").data()).isEqualTo(json("{'result': [1, 2], 'logs': []}"));
        assertThat(run("const x = 1;", "{}").data()).isEqualTo(json("{'logs': []}"));
    }

    @Test
    void a_thrown_error_fails_the_step_with_its_message_and_line() {
        NodeException e = failure("const a = 1;\nthrow new TypeError('no ' + 'luck');", "");

        assertThat(e.type()).isEqualTo("code_error");
        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).isEqualTo("TypeError: no luck (line 2)");
    }

    @Test
    void reaching_a_java_class_is_stopped() {
        assertThat(failure("return java.lang.System.getProperty('user.home');", "").getMessage())
                .isEqualTo("ReferenceError: \"java\" is not defined. (line 1)");
        assertThat(failure("return Packages.java.io.File;", "").getMessage())
                .isEqualTo("ReferenceError: \"Packages\" is not defined. (line 1)");
        assertThat(failure("return this.constructor.constructor('return java')().lang;", "").type())
                .isEqualTo("code_error");
        assertThat(failure("return getClass({});", "").getMessage()).startsWith("ReferenceError: \"getClass\"");
    }

    @Test
    void reading_a_file_is_stopped() {
        assertThat(failure("return readFile('/etc/passwd');", "").getMessage())
                .isEqualTo("ReferenceError: \"readFile\" is not defined. (line 1)");
        assertThat(failure("load('/etc/passwd');", "").getMessage())
                .isEqualTo("ReferenceError: \"load\" is not defined. (line 1)");
        assertThat(failure("return require('fs').readFileSync('/etc/passwd');", "").getMessage())
                .isEqualTo("ReferenceError: \"require\" is not defined. (line 1)");
    }

    @Test
    void threads_timers_and_the_network_do_not_exist() {
        assertThat(failure("return fetch('http://169.254.169.254/');", "").getMessage()).startsWith("ReferenceError: \"fetch\"");
        assertThat(failure("return new XMLHttpRequest();", "").getMessage()).startsWith("ReferenceError: \"XMLHttpRequest\"");
        assertThat(failure("spawn(function () {});", "").getMessage()).startsWith("ReferenceError: \"spawn\"");
        assertThat(failure("setTimeout(function () {}, 1);", "").getMessage()).startsWith("ReferenceError: \"setTimeout\"");
    }

    @Test
    void an_endless_loop_is_stopped_at_the_cpu_time_limit_even_inside_try() {
        NodeException e = failure("while (true) { try { for (;;) {} } catch (e) {} }", "'timeout_ms': 200");

        assertThat(e.type()).isEqualTo("code_time_limit");
        assertThat(e.getMessage()).isEqualTo("the code used more than 200 ms of CPU time (timeout_ms)");
    }

    @Test
    void allocating_without_bound_is_stopped_at_the_memory_limit() {
        NodeException e = failure("const keep = []; while (true) keep.push(new Array(1000).join('x') + keep.length);",
                "'memory_mb': 16");

        assertThat(e.type()).isEqualTo("code_memory_limit");
        assertThat(e.getMessage()).isEqualTo("the code allocated more than 16 MB (memory_mb)");
    }

    @Test
    void one_call_that_would_build_a_huge_value_is_refused() {
        assertThat(failure("return 'x'.repeat(1e9);", "").getMessage())
                .startsWith("RangeError: a string of 1000000000 is over the sandbox's limit of 10000000");
        assertThat(failure("return new Array(1e9).fill(0);", "").getMessage())
                .startsWith("RangeError: an array of 1000000000 is over the sandbox's limit");
        assertThat(failure("return Array.from({length: 1e9});", "").type()).isEqualTo("code_error");
    }

    @Test
    void deep_recursion_is_stopped() {
        NodeException e = failure("function down(n) { return down(n + 1) + 1; }\nreturn down(0);", "");

        assertThat(e.type()).isEqualTo("code_error");
        assertThat(e.getMessage()).startsWith("RangeError: too much recursion (more than 2000 nested calls)");
    }

    @Test
    void only_the_ecmascript_standard_globals_are_in_reach() throws Exception {
        NodeOutput output = run("""
                return {
                  globals: Object.getOwnPropertyNames(globalThis).sort(),
                  arrayStatics: Object.getOwnPropertyNames(Array).sort(),
                  stringStatics: Object.getOwnPropertyNames(String).sort(),
                  continuation: typeof Continuation
                };""", "{}");

        assertThat(output.data().get("globals")).isEqualTo((JsonNode) Json.MAPPER.valueToTree(List.of("AggregateError", "Array",
                "ArrayBuffer", "BigInt", "BigInt64Array", "BigUint64Array", "Boolean", "DataView", "Date", "Error",
                "EvalError", "Float32Array", "Float64Array", "Function", "Infinity", "Int16Array", "Int32Array",
                "Int8Array", "JSON", "Map", "Math", "NaN", "Number", "Object", "Promise", "Proxy", "RangeError",
                "ReferenceError", "Reflect", "RegExp", "Set", "String", "Symbol", "SyntaxError", "TypeError",
                "URIError", "Uint16Array", "Uint32Array", "Uint8Array", "Uint8ClampedArray", "WeakMap", "WeakSet",
                "console", "decodeURI", "decodeURIComponent", "encodeURI", "encodeURIComponent", "escape", "eval",
                "globalThis", "isFinite", "isNaN", "parseFloat", "parseInt", "undefined", "unescape")));
        assertThat(output.data().get("arrayStatics")).isEqualTo((JsonNode) Json.MAPPER.valueToTree(
                List.of("arguments", "arity", "from", "isArray", "length", "name", "of", "prototype")));
        assertThat(output.data().get("stringStatics")).isEqualTo((JsonNode) Json.MAPPER.valueToTree(
                List.of("arguments", "arity", "fromCharCode", "fromCodePoint", "length", "name", "prototype", "raw")));
        assertThat(output.data().get("continuation").asText()).isEqualTo("undefined");
    }

    @Test
    void a_run_that_hooks_function_call_and_apply_cannot_get_hold_of_an_uncapped_built_in() throws Exception {
        NodeOutput output = run("""
                var stolen = [];
                function grab() { stolen.push(this); return ''; }
                Object.defineProperty(Function.prototype, 'call', {value: grab});
                Object.defineProperty(Function.prototype, 'apply', {value: grab});
                'x'.repeat(1); 'x'.padEnd(2); [1].join(); [1].fill(0);
                return {grabbed: stolen.length, made: stolen.map(f => Reflect.apply(f, 'x', [20000000]).length)};""",
                "{}");

        assertThat(output.data()).isEqualTo(json("{'grabbed': 0, 'made': [], 'logs': []}"));
    }

    @Test
    void an_interrupted_step_stops_with_interrupted_exception() {
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> node.run(call(code("while (true) {}", ""), json("{}"))))
                    .isInstanceOf(InterruptedException.class);
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void settings_problems_are_named_by_path_and_a_syntax_error_by_its_line() {
        assertThat(problems(node, "{'timeout_ms': 0, 'memory_mb': 1024}")).containsExactlyInAnyOrder(
                "code: is required",
                "timeout_ms: must be at least 1 (got 0)",
                "memory_mb: must be at most 512 (got 1024)");
        assertThat(problems(node, "{'code': 'return {a: 1;'}")).hasSize(1).first().asString()
                .startsWith("code: does not parse: ").endsWith("(line 1)");
        assertThat(problems(node, "{'code': 'return {{a}};'}")).hasSize(1);   // {{ }} is code here, not a reference
    }
}
