package dev.weft.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.api.TestServer;
import dev.weft.mcp.EverythingServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The MCP servers page in a real headless Chromium: add the reference "everything" MCP server (running on
 * loopback) with an Authorization header from a stored credential, and the connection test lists its tools. Saves
 * mcp-servers.png under target/screenshots, or where {@code -Dweft.screenshots} says.
 */
class McpServersBrowserTest extends BrowserTest {

    static EverythingServer everything;

    @BeforeAll
    static void start() {
        everything = EverythingServer.startHttp();
    }

    @AfterAll
    static void stop() {
        if (everything != null) everything.close();
    }

    @Test
    void an_mcp_server_is_added_with_a_credential_header_and_its_tools_are_listed() {
        assertThat(server.post("/api/v1/credentials", "{\"name\": \"everything-token\", \"secret\": \"Bearer t0k3n\"}",
                TestServer.ADMIN_AUTH).status()).isEqualTo(201);
        browser.setUpAdmin(server.base(), "mcp page password");
        browser.click("nav-mcp");
        browser.click("new-mcp");
        browser.type("mcp-name", "everything");
        browser.type("mcp-url", everything.url());
        Select credential = new Select(browser.until(d -> {
            WebElement select = d.findElement(Browser.test("mcp-credential"));
            return select.findElements(By.tagName("option")).size() > 1 ? select : null;
        }));
        credential.selectByValue("everything-token");
        browser.click("create-mcp");

        assertThat(browser.find("mcp-row").getText()).contains("everything", "http", everything.url(),
                "Authorization ← everything-token");
        List<WebElement> tools = browser.until(d -> {
            List<WebElement> rows = d.findElements(Browser.test("mcp-tool"));
            return rows.size() > 3 ? rows : null;
        });
        assertThat(tools.stream().map(WebElement::getText).toList())
                .anySatisfy(t -> assertThat(t).contains("get-sum", "Returns the sum of two numbers", "a, b"))
                .anySatisfy(t -> assertThat(t).contains("echo"));
        assertThat(browser.find("mcp-tools-count").getText()).startsWith("Connected: ");
        assertThat(browser.driver.getPageSource()).doesNotContain("t0k3n");
        browser.screenshot(KnowledgeBrowserTest.SCREENSHOTS.resolve("mcp-servers.png"));
    }
}
