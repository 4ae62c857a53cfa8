package dev.weft.node;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** What a successful attempt emits: the port that fired and the fields it carries. */
public record NodeOutput(String port, ObjectNode data) {

    public static NodeOutput success(ObjectNode data) {
        return new NodeOutput(NodeType.SUCCESS, data);
    }
}
