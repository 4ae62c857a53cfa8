package dev.weft.mcp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The admin's settings for MCP servers: the commands an stdio server may be started with. A flow never names a
 * command; an admin configures a server, and only with a command on this list.
 *
 * @param stdioAllow the exact commands allowed ({@value #STDIO_ALLOW_ENV}, comma-separated); empty: no stdio servers
 */
public record McpConfig(List<String> stdioAllow) {

    /** The environment variable that lists the allowed stdio commands. */
    public static final String STDIO_ALLOW_ENV = "WEFT_MCP_STDIO_ALLOW";
    public static final McpConfig DEFAULT = new McpConfig(List.of());

    public McpConfig {
        stdioAllow = List.copyOf(stdioAllow);
    }

    /** The settings from the environment: {@value #STDIO_ALLOW_ENV} split at commas, blanks dropped. */
    public static McpConfig fromEnvironment(Map<String, String> env) {
        String raw = env.get(STDIO_ALLOW_ENV);
        List<String> commands = new ArrayList<>();
        if (raw != null) {
            for (String command : raw.split(",")) {
                if (!command.isBlank()) commands.add(command.strip());
            }
        }
        return new McpConfig(commands);
    }

    /** Whether an stdio server may be started with {@code command}. */
    public boolean allows(String command) {
        return command != null && stdioAllow.contains(command);
    }
}
