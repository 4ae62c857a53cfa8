package dev.weft.node;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a successful attempt emits: the port that fired and the fields it carries.
 *
 * @param port one of the node's output ports ({@link NodeType#SUCCESS} for most nodes)
 * @param data the fields emitted, which edges map into the inputs of the nodes downstream
 */
public record NodeOutput(String port, ObjectNode data) {

    /**
     * Emits {@code data} on the {@link NodeType#SUCCESS} port.
     *
     * @param data the fields emitted
     * @return the output
     */
    public static NodeOutput success(ObjectNode data) {
        return new NodeOutput(NodeType.SUCCESS, data);
    }
}
