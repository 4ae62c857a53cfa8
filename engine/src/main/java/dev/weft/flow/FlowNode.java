package dev.weft.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One node of a flow: its id, its type, its saved settings, how its steps run, and which settings a run may
 * override.
 */
public record FlowNode(String id, String type, String name, ObjectNode settings, NodePolicy policy,
                       Overridable overridable, JsonNode position) {

    public static final String START = "start";
    public static final String END = "end";

    public boolean isStart() {
        return START.equals(type);
    }

    public boolean isEnd() {
        return END.equals(type);
    }
}
