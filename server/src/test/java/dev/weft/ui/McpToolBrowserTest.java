package dev.weft.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.api.TestServer;
import org.junit.jupiter.api.Test;

/**
 * The builder's "Expose as MCP tool" setting in a real headless Chromium: turned on with a tool name and a
 * description it is saved in the flow document, a name outside MCP's rule is refused naming {@code mcp_name}, and
 * once the flow is published its tool is listed at {@code /mcp}. Saves mcp-tool.png under target/screenshots, or
 * where {@code -Dweft.screenshots} says.
 */
class McpToolBrowserTest extends BrowserTest {

    @Test
    void a_flow_exposed_in_the_builder_is_an_mcp_tool_once_published() {
        long flow = server.publishFlow(TestServer.example("hello.json"));
        browser.setUpAdmin(server.base(), "mcp tool password");
        browser.find("new-flow");
        browser.driver.get(server.base() + "/#/flows/" + flow);
        browser.find("overview");

        browser.click("mcp-tool");
        assertThat(browser.find("mcp-name").getAttribute("placeholder")).isEqualTo("hello");
        browser.type("mcp-name", "say hello");
        browser.until(d -> browser.find("save-state").getText().contains("problem"));
        assertThat(browser.find("overview").getText()).contains("mcp_name: must be 1-128 letters");

        browser.type("mcp-name", "say_hello");
        browser.type("mcp-description", "Greets someone by name. Use it to say hello.");
        // Saved, and saved whole: a save that ended while the description was still being typed must not leave
        // "Saved" showing over the unsaved rest (the builder then saves the rest too).
        browser.until(d -> browser.find("save-state").getText().equals("Saved") && server.get("/api/v1/flows/" + flow,
                TestServer.ADMIN_AUTH).json().path("document").path("mcp_description").asText().endsWith("say hello."));
        browser.screenshot(SCREENSHOTS.resolve("mcp-tool.png"));

        JsonNode draft = server.get("/api/v1/flows/" + flow, TestServer.ADMIN_AUTH).json().path("document");
        assertThat(draft.path("mcp_tool").asBoolean()).isTrue();
        assertThat(draft.path("mcp_name").asText()).isEqualTo("say_hello");
        String list = "{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"tools/list\"}";
        assertThat(server.post("/mcp", list, TestServer.ADMIN_AUTH).json().path("result").path("tools")).isEmpty();

        assertThat(server.post("/api/v1/flows/" + flow + "/publish", null, TestServer.ADMIN_AUTH).status()).isEqualTo(201);
        JsonNode tools = server.post("/mcp", list, TestServer.ADMIN_AUTH).json().path("result").path("tools");
        assertThat(tools).hasSize(1);
        assertThat(tools.get(0).path("name").asText()).isEqualTo("say_hello");
        assertThat(tools.get(0).path("description").asText()).isEqualTo("Greets someone by name. Use it to say hello.");
    }
}
