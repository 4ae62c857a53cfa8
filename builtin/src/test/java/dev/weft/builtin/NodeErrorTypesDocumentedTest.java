package dev.weft.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every error type a built-in node gives, as its constant says it, is named in docs/nodes.md. */
class NodeErrorTypesDocumentedTest {

    @Test
    void everyNodeErrorConstantIsInTheNodesDocument() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "nodes.md"));
        List<String> types = List.of(Settings.INVALID, HttpNode.ERROR, HttpNode.STATUS, ResponseMode.NOT_JSON,
                AddressGuard.REFUSED, StoredSecrets.MISSING, StoredSecrets.REFUSED, CodeNode.ERROR,
                CodeNode.TIME_LIMIT, CodeNode.MEMORY_LIMIT, TransformNode.ERROR, Operator.ERROR, LlmNode.ERROR,
                LlmNode.STATUS, LlmNode.OUTPUT_INVALID, MapNode.ERROR, FlowRuns.NOT_FOUND, FlowRuns.TOO_DEEP,
                AgentNode.MAX_ITERATIONS, McpTools.ERROR, McpNode.TOOL_ERROR, MediaClient.PROVIDER_ERROR,
                MediaClient.ANSWER_INVALID, MediaClient.FILE_EMPTY, MediaClient.FILE_TOO_LARGE, ImageNode.NOT_AN_IMAGE,
                SpeechNode.NOT_AUDIO, ModelNode.FAILED, ModelNode.STATUS, ModelNode.ERROR, ModelNode.OUTPUT);
        assertThat(types).allSatisfy(type -> assertThat(doc).contains("`" + type + "`"));
    }
}
