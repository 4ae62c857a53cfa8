package dev.weft.nodes;

import dev.weft.node.EndNode;
import dev.weft.node.NodeRegistry;
import dev.weft.node.StartNode;
import java.util.List;

/** The node types every Weft instance has, in one registry: the one place they are listed. */
public final class BuiltinNodes {

    private BuiltinNodes() {}

    public static NodeRegistry registry(HttpNode.Options http) {
        return new NodeRegistry(List.of(new StartNode(), new EndNode(), new IfNode(), new TemplateNode(),
                new TransformNode(), new HttpNode(http)));
    }
}
