package dev.weft.nodes;

import dev.weft.node.Credentials;
import dev.weft.node.EndNode;
import dev.weft.node.NodeRegistry;
import dev.weft.node.StartNode;
import java.util.List;

/** The node types every Weft instance has, in one registry: the one place they are listed. */
public final class BuiltinNodes {

    private BuiltinNodes() {}

    /** Every built-in type, without stored credentials: nodes that name one fail when they run. */
    public static NodeRegistry registry(HttpNode.Options http) {
        return registry(http, Credentials.NONE);
    }

    /** Every built-in type; {@code credentials} holds the secrets that llm and http nodes name. */
    public static NodeRegistry registry(HttpNode.Options http, Credentials credentials) {
        return registry(http, credentials, FileSink.NONE, FilesNode.MAX_BYTES_DEFAULT);
    }

    /** Every built-in type; {@code files} keeps what files nodes fetch, each at most {@code fileMaxBytes}. */
    public static NodeRegistry registry(HttpNode.Options http, Credentials credentials, FileSink files,
                                        long fileMaxBytes) {
        return new NodeRegistry(List.of(new StartNode(), new EndNode(), new IfNode(), new TemplateNode(),
                new TransformNode(), new HttpNode(http, credentials), new LlmNode(http, credentials), new CodeNode(), new SwitchNode(), new MergeNode(), new DelayNode(),
                new FilesNode(http, fileMaxBytes, files)));
    }
}
