package dev.weft.builtin;

import static dev.weft.builtin.Calls.call;
import static dev.weft.builtin.Calls.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.node.NodeException;
import dev.weft.node.NodeOutput;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * The mcp node's own logic over a recording {@link McpTools}: what it asks, how it reads an answer, how a tool's
 * error and a cancelled step end. The real server and SDK are in the server's McpClientTest.
 */
class McpNodeTest {

    String askedServer;
    String askedTool;
    ObjectNode askedArguments;
    Duration askedTimeout;
    CompletableFuture<McpTools.Result> answer = new CompletableFuture<>();

    final McpTools recording = new McpTools() {
        @Override
        public CompletionStage<List<Tool>> tools(String server) {
            return CompletableFuture.completedFuture(List.of());
        }

        @Override
        public CompletionStage<Result> call(String server, String tool, ObjectNode arguments, Duration timeout) {
            askedServer = server;
            askedTool = tool;
            askedArguments = arguments;
            askedTimeout = timeout;
            return answer;
        }
    };

    /** A JSON array written with single quotes. */
    static JsonNode array(String singleQuoted) {
        return Json.read(singleQuoted.replace('\'', '"'));
    }

    @Test
    void structured_content_is_the_result_and_the_call_names_server_tool_arguments_and_timeout() throws Exception {
        answer.complete(new McpTools.Result(array("[{'type': 'text', 'text': 'sunny'}]"),
                json("{'temperature': 22}"), false));

        NodeOutput output = new McpNode(recording).run(call(
                "{'server': 'weather', 'tool': 'forecast', 'arguments': {'city': 'Oslo'}, 'timeout_ms': 1500}"));

        assertThat(askedServer).isEqualTo("weather");
        assertThat(askedTool).isEqualTo("forecast");
        assertThat(askedArguments).isEqualTo(json("{'city': 'Oslo'}"));
        assertThat(askedTimeout).isEqualTo(Duration.ofMillis(1500));
        assertThat(output.data()).isEqualTo(json("{'result': {'temperature': 22},"
                + " 'content': [{'type': 'text', 'text': 'sunny'}], 'is_error': false}"));
    }

    @Test
    void text_that_is_json_is_parsed_and_other_text_is_kept_as_it_is() throws Exception {
        answer.complete(new McpTools.Result(array("[{'type': 'text', 'text': '{\\u0022sum\\u0022: 3}'}]"), null, false));
        assertThat(new McpNode(recording).run(call("{'server': 's', 'tool': 't'}")).data().get("result"))
                .isEqualTo(json("{'sum': 3}"));

        answer = CompletableFuture.completedFuture(new McpTools.Result(
                array("[{'type': 'text', 'text': 'The sum is 3.'}, {'type': 'image', 'data': 'AA=='}]"), null, false));
        NodeOutput output = new McpNode(recording).run(call("{'server': 's', 'tool': 't'}"));
        assertThat(output.data().get("result").asText()).isEqualTo("The sum is 3.");
        assertThat(askedArguments).isEqualTo(json("{}"));
        assertThat(askedTimeout).isEqualTo(Calls.TIMEOUT);
    }

    @Test
    void a_tool_that_reports_an_error_fails_the_step_with_its_text_naming_server_and_tool() {
        answer.complete(new McpTools.Result(array("[{'type': 'text', 'text': 'city unknown'}]"), null, true));

        assertThatThrownBy(() -> new McpNode(recording).run(call("{'server': 'weather', 'tool': 'forecast'}")))
                .isInstanceOfSatisfying(NodeException.class, e -> {
                    assertThat(e.type()).isEqualTo(McpNode.TOOL_ERROR);
                    assertThat(e.getMessage()).isEqualTo(
                            "MCP server 'weather', tool 'forecast' reported an error: city unknown");
                    assertThat(e.retryable()).isFalse();
                });
    }

    @Test
    void cancelling_the_step_cancels_the_call() {
        CompletionStage<NodeOutput> step = new McpNode(recording).runAsync(call("{'server': 's', 'tool': 't'}"));

        step.toCompletableFuture().cancel(true);

        assertThat(answer).isCancelled();
    }

    @Test
    void settings_without_server_or_tool_are_refused_on_save() {
        assertThat(Calls.problems(new McpNode(McpTools.NONE), "{'arguments': {}}"))
                .anySatisfy(p -> assertThat(p).contains("server"))
                .anySatisfy(p -> assertThat(p).contains("tool"));
    }

    @Test
    void without_mcp_servers_the_step_fails_naming_the_server() {
        assertThatThrownBy(() -> new McpNode(McpTools.NONE).run(call("{'server': 'files', 'tool': 'read'}")))
                .isInstanceOfSatisfying(NodeException.class, e -> {
                    assertThat(e.type()).isEqualTo(McpTools.ERROR);
                    assertThat(e.getMessage()).contains("'files'");
                });
    }
}
