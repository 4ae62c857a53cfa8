package dev.weft.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.api.TestServer;
import dev.weft.api.VersionDiffApiTestFlows;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The Versions page (who published, a diff, restore as draft, the pinned call), the Credentials page (create,
 * rotate, delete refused while a published version uses it) and the credential picker in an llm node's form, in a
 * real headless Chromium. Saves versions.png, versions-diff.png, credentials.png and credential-picker.png under
 * target/screenshots, or where {@code -Dweft.screenshots} says.
 */
class VersionsCredentialsBrowserTest extends BrowserTest {

    @BeforeAll
    static void start() {
        browser.setUpAdmin(server.base(), "versions page password");
    }

    private static List<WebElement> rows(String testId, int atLeast) {
        return browser.until(d -> {
            List<WebElement> rows = d.findElements(Browser.test(testId));
            return rows.size() >= atLeast ? rows : null;
        });
    }

    @Test
    void the_versions_page_shows_who_published_diffs_two_versions_and_restores_one_as_the_draft() throws Exception {
        long flow = server.publishFlow(TestServer.example("hello.json"));
        server.send("PUT", "/api/v1/flows/" + flow, VersionDiffApiTestFlows.V2, "application/json", TestServer.ADMIN_AUTH);
        browser.driver.get(server.base() + "/#/flows/" + flow);
        browser.until(d -> browser.find("save-state").getText().equals("Saved"));
        browser.click("publish");
        browser.click("publish-done");

        browser.click("open-versions");
        List<WebElement> versions = rows("version-row", 2);
        assertThat(versions.get(0).getText()).contains("v2", "latest", "admin session");
        assertThat(versions.get(1).getText()).contains("v1", "admin token");
        assertThat(browser.find("pinned-snippet").getText()).contains("\"flow_version\":2", "/execute?wait=30");
        assertThat(browser.find("diff-summary").getText()).contains("v2 against the draft");
        browser.screenshot(KnowledgeBrowserTest.SCREENSHOTS.resolve("versions.png"));

        browser.choose("diff-against", "1");
        browser.until(d -> browser.find("diff-summary").getText().contains("v2 against v1"));
        assertThat(browser.find("diff-added").getText()).contains("shout", "template");
        WebElement greet = browser.find("diff").findElement(By.cssSelector("[data-node='greet']"));
        assertThat(greet.getText()).contains("settings.template", "Hello, {{start.name}}!", "Hi, {{start.name}}!",
                "+ greet -> shout (text -> text)", "− greet -> end (text -> greeting)");
        browser.screenshot(KnowledgeBrowserTest.SCREENSHOTS.resolve("versions-diff.png"));

        versions.get(1).findElement(Browser.test("restore-version")).click();
        browser.click("confirm");
        browser.choose("diff-version-select", "1");
        browser.choose("diff-against", "draft");
        browser.until(d -> browser.find("diff-summary").getText().startsWith("v1 against the draft"));
        assertThat(browser.find("diff").getText()).isEqualTo("v1 against the draft: No differences (canvas positions aside).");
        // the pinned call, pasted as shown, runs v1 although v2 is the latest
        String pinned = browser.until(d -> {
            String text = browser.find("pinned-snippet").getText();
            return text.contains("\"flow_version\":1") ? text : null;
        });
        JsonNode task = new PublishedSnippet("curl", pinned).run(server.newKeyAuth("pinned").substring("Basic ".length()));
        assertThat(task.path("flow_version").asInt()).as(task.toString()).isEqualTo(1);
        assertThat(task.path("result").path("greeting").asText()).isEqualTo("Hello, text!");
        JsonNode v1 = server.get("/api/v1/flows/" + flow + "/versions/1", TestServer.ADMIN_AUTH).json().path("document");
        assertThat(server.get("/api/v1/flows/" + flow, TestServer.ADMIN_AUTH).json().path("document")).isEqualTo(v1);
        assertThat(server.get("/api/v1/flows/" + flow + "/versions/2", TestServer.ADMIN_AUTH).json()
                .path("document").path("nodes").findValuesAsText("id")).contains("shout");
    }

    @Test
    void the_credentials_page_creates_rotates_and_is_refused_deleting_a_credential_a_published_flow_uses() {
        browser.driver.get(server.base() + "/#/flows");
        browser.click("nav-credentials");
        browser.click("new-credential");
        browser.type("credential-name", "mirror-login");
        browser.choose("credential-type-select", "basic");
        browser.type("credential-username", "ada");
        browser.type("credential-password", "first-pa55word");
        browser.type("credential-description", "the mirror's login");
        browser.click("create-credential");
        WebElement row = browser.until(d -> d.findElements(By.cssSelector("[data-name='mirror-login']")).stream()
                .findFirst().orElse(null));
        assertThat(row.getText()).contains("mirror-login", "Basic (user + password)", "the mirror's login", "never", "no flow");

        long flow = server.publishFlow(VersionDiffApiTestFlows.fetching("https://example.com/x", "mirror-login"));
        browser.driver.navigate().refresh();
        WebElement used = browser.until(d -> {
            WebElement cell = d.findElement(By.cssSelector("[data-name='mirror-login'] [data-test='credential-used']"));
            return cell.getText().contains("v1") ? cell : null;
        });
        assertThat(used.getText()).contains("Fetch with mirror-login #" + flow + " (v1, draft)");
        // an MCP server that sends it in a header is named beside the flows
        assertThat(server.post("/api/v1/mcp-servers", "{\"name\": \"mirror-tools\", \"transport\": \"http\", \"url\":"
                + " \"https://mirror.example.com/mcp\", \"headers\": {\"Authorization\": \"mirror-login\"}}",
                TestServer.ADMIN_AUTH).status()).isEqualTo(201);
        browser.driver.navigate().refresh();
        browser.until(d -> d.findElement(By.cssSelector("[data-name='mirror-login'] [data-test='credential-used']"))
                .getText().contains("MCP server mirror-tools"));

        browser.driver.findElement(By.cssSelector("[data-name='mirror-login'] [data-test='rotate-credential']")).click();
        browser.type("credential-username", "ada");
        browser.type("credential-password", "second-pa55word");
        browser.click("confirm-rotate");
        browser.until(d -> !d.findElement(By.cssSelector("[data-name='mirror-login'] [data-test='credential-rotated']"))
                .getText().equals("never"));

        browser.driver.findElement(By.cssSelector("[data-name='mirror-login'] [data-test='delete-credential']")).click();
        browser.click("confirm");
        WebElement refused = browser.until(d -> d.findElements(By.cssSelector(".note-error")).stream().findFirst().orElse(null));
        assertThat(refused.getText()).contains("credential 'mirror-login' is used by published versions of flow " + flow
                + " 'Fetch with mirror-login' (version 1)").contains("also is sent in the headers of MCP server mirror-tools");
        assertThat(server.get("/api/v1/credentials/mirror-login", TestServer.ADMIN_AUTH).status()).isEqualTo(200);
        assertThat(browser.driver.getPageSource()).doesNotContain("pa55word");
        browser.screenshot(KnowledgeBrowserTest.SCREENSHOTS.resolve("credentials.png"));
    }

    @Test
    void an_llm_node_picks_a_stored_credential_or_creates_one_in_place() {
        server.post("/api/v1/credentials", "{\"name\": \"openai-prod\", \"secret\": \"sk-stored-1\"}", TestServer.ADMIN_AUTH);
        long flow = server.post("/api/v1/flows", VersionDiffApiTestFlows.LLM, TestServer.ADMIN_AUTH).json().path("id").asLong();
        browser.driver.get(server.base() + "/#/flows/" + flow);
        browser.find("node-ask").findElement(By.className("wnode-head")).click();
        List<String> options = browser.withSelect("setting-credential", picker -> {
            List<String> texts = picker.getOptions().stream().map(WebElement::getText).toList();
            return texts.contains("openai-prod (API key)") ? texts : null;
        });
        assertThat(options).containsExactly("— none —", "openai-prod (API key)", "+ New credential");
        browser.choose("setting-credential", "openai-prod");
        browser.until(d -> browser.find("save-state").getText().equals("Saved"));
        assertThat(llmCredential(flow)).isEqualTo("openai-prod");

        // the save re-renders the panel: the select is found again rather than held
        browser.withSelect("setting-credential", picker -> {
            picker.selectByVisibleText("+ New credential");
            return true;
        });
        browser.type("credential-name", "anthropic-dev");
        browser.type("credential-secret", "sk-inline-2");
        browser.screenshot(KnowledgeBrowserTest.SCREENSHOTS.resolve("credential-picker.png"));
        browser.click("create-credential");
        browser.until(d -> browser.chosen("setting-credential").equals("anthropic-dev (API key)"));
        browser.until(d -> browser.find("save-state").getText().equals("Saved") && "anthropic-dev".equals(llmCredential(flow)));
        assertThat(server.get("/api/v1/credentials/anthropic-dev", TestServer.ADMIN_AUTH).json().path("type").asText())
                .isEqualTo("api_key");
    }

    private static String llmCredential(long flow) {
        for (JsonNode node : server.get("/api/v1/flows/" + flow, TestServer.ADMIN_AUTH).json().path("document").path("nodes")) {
            if (node.path("id").asText().equals("ask")) return node.path("settings").path("credential").asText(null);
        }
        return null;
    }
}
