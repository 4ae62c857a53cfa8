package dev.weft.builtin;

import dev.weft.registry.RegisteredType;
import static dev.weft.builtin.Calls.call;
import static dev.weft.builtin.Calls.json;
import static dev.weft.builtin.Calls.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.node.NodeCall;
import dev.weft.node.NodeException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TransformNodeTest {

    private final TransformNode node = new TransformNode();

    @Test
    void evaluates_the_expression_against_the_inputs_and_emits_the_result() throws Exception {
        ObjectNode settings = Json.object()
                .put("expression", "{\"total\": $sum(order.items.(price * qty)), \"first\": order.items[0].name}");
        ObjectNode inputs = json("{'order': {'items': [{'name': 'pen', 'price': 2, 'qty': 3},"
                + " {'name': 'ink', 'price': 1.5, 'qty': 2}]}}");

        assertThat(node.run(call(settings, inputs)).data()).isEqualTo(json("{'result': {'total': 9, 'first': 'pen'}}"));
    }

    @Test
    void an_undefined_result_is_null() throws Exception {
        assertThat(node.run(call("{'expression': 'nothing.here'}", "{'a': 1}")).data())
                .isEqualTo(json("{'result': null}"));
    }

    @Test
    void the_same_expression_evaluates_correctly_on_many_threads_at_once() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<JsonNode>> results = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                NodeCall call = call("{'expression': 'n * 2 + $count(list)'}", "{'n': " + i + ", 'list': [1, 2, 3]}");
                results.add(pool.submit(() -> node.run(call).data().get("result")));
            }
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get(10, TimeUnit.SECONDS).asInt()).isEqualTo(i * 2 + 3);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void an_expression_that_does_not_parse_is_a_problem_with_the_parser_message() {
        assertThat(problems(node, "{'expression': 'price * '}"))
                .containsExactly("expression: is not a JSONata expression: Unexpected end of expression (at character 8)");
        assertThat(problems(node, "{}")).containsExactly("expression: is required");
        assertThat(problems(node, "{'expression': 'a', 'timeout_ms': 60001}")).containsExactly(
                "timeout_ms: must be a whole number of milliseconds from 1 to 60000 (got 60001)");
    }

    @Test
    void an_expression_with_placeholders_is_parsed_only_once_rendered() {
        assertThat(problems(node, "{'expression': 'price * {{start.rate}}'}")).isEmpty();
    }

    @Test
    void a_failing_expression_fails_with_transform_error() {
        assertThatThrownBy(() -> node.run(call("{'expression': '$notAFunction(1)'}")))
                .isInstanceOfSatisfying(NodeException.class, e -> {
                    assertThat(e.type()).isEqualTo("transform_error");
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage()).contains("Attempted to invoke a non-function");
                });
    }

    @Test
    void a_runaway_expression_stops_at_its_timeout() {
        long started = System.nanoTime();

        assertThatThrownBy(() -> node.run(call(
                "{'expression': '($loop := function($n) { $loop($n + 1) }; $loop(0))', 'timeout_ms': 100}")))
                .isInstanceOfSatisfying(NodeException.class, e -> {
                    assertThat(e.type()).isEqualTo("transform_error");
                    assertThat(e.getMessage()).contains("timeout");
                });
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(5_000);
    }

    @Test
    void deep_recursion_stops_at_the_depth_bound() {
        assertThatThrownBy(() -> node.run(call(
                "{'expression': '($f := function($n) { $n = 0 ? 0 : 1 + $f($n - 1) }; $f(100000))'}")))
                .isInstanceOfSatisfying(NodeException.class, e -> {
                    assertThat(e.type()).isEqualTo("transform_error");
                    assertThat(e.getMessage()).contains("Stack overflow");
                });
    }

    @Test
    void a_function_as_result_fails_because_it_is_not_json() {
        assertThatThrownBy(() -> node.run(call("{'expression': 'function($x) { $x }'}")))
                .isInstanceOfSatisfying(NodeException.class, e -> {
                    assertThat(e.type()).isEqualTo("transform_error");
                    assertThat(e.getMessage()).contains("not JSON");
                });
    }

    @Test
    void an_interrupted_evaluation_ends_with_interrupted_exception() throws Exception {
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread worker = new Thread(() -> {
            Thread.currentThread().interrupt();   // as a step timeout or a cancel would, before or during the run
            try {
                node.run(call("{'expression': '($loop := function($n) { $loop($n + 1) }; $loop(0))',"
                        + " 'timeout_ms': 60000}"));
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        });
        worker.start();

        assertThat(outcome.get(5, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
    }

    @Test
    void declares_result_as_its_only_output_field() {
        assertThat(RegisteredType.of(node).outputFields(json("{'expression': 'a'}"))).contains(List.of("result"));
    }
}
