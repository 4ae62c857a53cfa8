package dev.weft.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** One node of a flow: its id, its type, its saved settings and how its steps run. */
public record FlowNode(String id, String type, String name, ObjectNode settings, NodePolicy policy, JsonNode position) {

    public static final String START = "start";
    public static final String END = "end";

    public boolean isStart() {
        return START.equals(type);
    }

    public boolean isEnd() {
        return END.equals(type);
    }
}
