package dev.weft.mcp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.api.TestServer;
import dev.weft.json.Json;

/** Flow documents the MCP tests publish: examples/hello.json exposed as a tool, and a flow whose code throws. */
final class McpFlows {

    private McpFlows() {}

    /** examples/hello.json with {@code mcp_tool} set as given (null: left out) and a description on its input. */
    static String hello(Boolean tool, String name, String description) {
        ObjectNode flow = (ObjectNode) Json.read(TestServer.example("hello.json"));
        if (tool != null) flow.put("mcp_tool", tool);
        if (name != null) flow.put("mcp_name", name);
        if (description != null) flow.put("mcp_description", description);
        ((ObjectNode) flow.path("nodes").get(0).path("settings").path("inputs").path("name"))
                .put("description", "Who to greet");
        return Json.write(flow);
    }

    /**
     * start -> a code node that throws "boom: <name>" -> end; exposed with no {@code mcp_name}, so its tool is named
     * after the flow: {@code explode}.
     */
    static String failing() {
        return """
                {"name": "Explode!", "mcp_tool": true,
                 "nodes": [
                  {"id": "start", "type": "start", "settings": {"inputs": {"name": {"type": "string"}}}},
                  {"id": "calc", "type": "code", "settings": {"code": "throw new Error('boom: ' + inputs.name);"}},
                  {"id": "end", "type": "end", "settings": {"outputs": {"result": {"type": "string"}}}}],
                 "edges": [
                  {"from_node": "start", "to_node": "calc", "fields_mapping": [{"from_field": "name", "to_field": "name"}]},
                  {"from_node": "calc", "to_node": "end", "fields_mapping": [{"from_field": "out", "to_field": "result"}]}]}
                """;
    }
}
