package dev.weft.flow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.node.Problems;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A flow's choice to be an MCP tool (document fields {@code mcp_tool}, {@code mcp_name}, {@code mcp_description}):
 * off unless its author turns it on. The tool name follows MCP's rule for tool names (1-128 of {@code A-Z a-z 0-9
 * _ - .}); without one the flow's name gives it ({@code "Summarise text"} is {@code summarise_text}).
 */
public record McpToolSetting(boolean enabled, String name, String description) {

    public static final McpToolSetting OFF = new McpToolSetting(false, null, null);
    /** MCP's tool name rule (specification 2025-11-25, "Tool names"). */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,128}");
    public static final int DESCRIPTION_MAX = 4_000;

    /** Reads the setting of a flow document; wrong values go to {@code problems}, naming the field. */
    public static McpToolSetting read(JsonNode document, Problems problems) {
        if (!document.isObject()) return OFF;
        JsonNode on = document.get("mcp_tool");
        boolean enabled = false;
        if (on != null && !on.isNull()) {
            if (on.isBoolean()) enabled = on.asBoolean();
            else problems.add("mcp_tool", "must be true or false");
        }
        String name = text(document, "mcp_name", problems);
        if (name != null && !name.isEmpty() && !NAME.matcher(name).matches()) {
            problems.add("mcp_name", "must be 1-128 letters, digits, '_', '-' or '.' (MCP's rule for tool names; got '"
                    + name + "')");
            name = null;
        }
        String description = text(document, "mcp_description", problems);
        if (description != null && description.length() > DESCRIPTION_MAX) {
            problems.add("mcp_description", "must be at most " + DESCRIPTION_MAX + " characters");
        }
        if (name == null || name.isEmpty()) name = slug(document.path("name").asText(""));
        if (enabled && name.isEmpty()) {
            problems.add("mcp_name", "is required when mcp_tool is true (the flow's name gives no tool name)");
        }
        return new McpToolSetting(enabled, name, description == null || description.isBlank() ? null : description);
    }

    /** A tool name made from a flow's name: lower case, other characters as '_', at most 128. */
    public static String slug(String flowName) {
        String slug = flowName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]+", "_").replaceAll("^_+|_+$", "");
        return slug.length() > 128 ? slug.substring(0, 128) : slug;
    }

    private static String text(JsonNode document, String field, Problems problems) {
        JsonNode value = document.get(field);
        if (value == null || value.isNull()) return null;
        if (!value.isTextual()) {
            problems.add(field, "must be a string");
            return null;
        }
        return value.asText().trim();
    }
}
