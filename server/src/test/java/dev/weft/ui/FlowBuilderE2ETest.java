package dev.weft.ui;

import dev.weft.auth.SessionFilter;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.api.TestServer;
import dev.weft.json.Json;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The flow builder end to end, in a real headless Chromium against a real Weft: sign in, build start -> template
 * -> end by hand, choose which of its settings callers may override, run it from the Run panel, publish, make a server key, then send the Publish dialog's curl
 * request as an app would and get status 3. Saves its screenshots under target/screenshots, or where
 * {@code -Dweft.screenshots} says (the README refreshes docs/screenshots so), leaving tracked files alone.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FlowBuilderE2ETest extends BrowserTest {

    static final String PASSWORD = "e2e password 1";
    static String curlSnippet;
    static String serverKey;
    static long flowId;

    /** On a failure, what the browser showed: target/e2e-failures/<test>.png. */
    @RegisterExtension
    final TestWatcher onFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (browser != null) {
                browser.screenshot(Path.of("target", "e2e-failures", context.getDisplayName().replaceAll("\\W", "") + ".png"));
            }
        }
    };

    @Test
    @Order(1)
    void first_visit_sets_the_password_and_signs_in() {
        browser.setUpAdmin(server.base(), PASSWORD);
        browser.find("new-flow");
        assertThat(browser.driver.manage().getCookieNamed(SessionFilter.COOKIE).isHttpOnly()).isTrue();
        assertThat(browser.js("return document.cookie")).isEqualTo("");   // HttpOnly: scripts cannot read it
    }

    @Test
    @Order(2)
    void builds_start_template_end_by_hand() {
        browser.click("new-flow");
        browser.type("name-input", "Greeter");
        browser.click("name-submit");
        browser.find("node-start");
        flowId = Long.parseLong(browser.driver.getCurrentUrl().replaceAll(".*#/flows/(\\d+).*", "$1"));

        // The start node's input "input" becomes "name" (its edge follows the rename).
        browser.find("node-start").findElement(By.className("wnode-head")).click();
        browser.type("field-name", "name");
        browser.until(d -> !d.findElements(Browser.test("out-start-name")).isEmpty());

        // A template node from the palette, fed by start.name on its "+ input" handle.
        browser.click("palette-template");
        browser.find("node-template");
        browser.drag(browser.find("out-start-name"), browser.find("in-template-+"));
        browser.find("in-template-name");
        browser.type("setting-template", "Hello, {{name}}!");

        // Its text goes to the end node's "+ input", which declares the output "text"; the old output goes.
        browser.drag(browser.find("out-template-text"), browser.find("in-end-+"));
        browser.find("in-end-text");
        browser.find("node-end").findElement(By.className("wnode-head")).click();
        WebElement first = browser.find("field-row-0");
        assertThat(first.findElement(By.cssSelector("[data-test='field-name']")).getAttribute("value")).isEqualTo("output");
        first.findElement(By.cssSelector("button[title='Remove field']")).click();
        browser.until(d -> d.findElements(Browser.test("in-end-output")).isEmpty());
        browser.clickEmptyCanvas();

        browser.until(d -> browser.find("save-state").getText().equals("Saved"));

        // The Delete key removes the selected node (the server then refuses the draft: the end is cut off, and the
        // problem shows on the end node); Ctrl+Z brings the node and its edges back, and the draft saves again.
        browser.find("node-template").findElement(By.className("wnode-head")).click();
        new Actions(browser.driver).sendKeys(Keys.DELETE).perform();
        browser.until(d -> d.findElements(Browser.test("node-template")).isEmpty());
        browser.until(d -> browser.find("save-state").getText().startsWith("Not saved"));
        assertThat(browser.find("problems-end").getText()).contains("not reachable from any start node");
        new Actions(browser.driver).keyDown(Keys.CONTROL).sendKeys("z").keyUp(Keys.CONTROL).perform();
        browser.find("node-template");
        browser.until(d -> browser.find("save-state").getText().equals("Saved"));
        browser.clickEmptyCanvas();
        JsonNode saved = server.get("/api/v1/flows/" + flowId, TestServer.ADMIN_AUTH).json().path("document");
        assertThat(saved.path("nodes").findValuesAsText("id")).containsExactly("start", "end", "template");
        assertThat(Json.write(saved.path("edges"))).isEqualTo("""
                [{"from_node":"start","to_node":"template","fields_mapping":[{"from_field":"name","to_field":"name"}]},\
                {"from_node":"template","to_node":"end","fields_mapping":[{"from_field":"text","to_field":"text"}]}]""");
        browser.screenshot(SCREENSHOTS.resolve("builder.png"));
    }

    @Test
    @Order(3)
    void lets_the_author_choose_which_settings_callers_may_override() {
        browser.find("node-template").findElement(By.className("wnode-head")).click();
        browser.find("overridable").findElement(By.tagName("summary")).click();
        assertThat(browser.find("overridable-template").isSelected()).as("a template locks nothing").isTrue();

        browser.click("overridable-template");
        browser.until(d -> templateOverridable().equals("false"));
        browser.screenshot(SCREENSHOTS.resolve("overridable.png"));
        browser.click("overridable-template");
        browser.until(d -> templateOverridable().equals("(absent)"));
        browser.clickEmptyCanvas();
    }

    /** The saved template node's {@code overridable}, as JSON text, or "(absent)". */
    private static String templateOverridable() {
        JsonNode nodes = server.get("/api/v1/flows/" + flowId, TestServer.ADMIN_AUTH).json().path("document").path("nodes");
        for (JsonNode node : nodes) {
            if (node.path("id").asText().equals("template")) {
                return node.has("overridable") ? Json.write(node.get("overridable")) : "(absent)";
            }
        }
        throw new AssertionError("no template node in " + nodes);
    }

    @Test
    @Order(4)
    void runs_it_from_the_run_panel_and_shows_each_node_done() {
        browser.click("open-run");
        browser.type("run-input-name", "Ada");
        browser.click("run");
        browser.until(d -> browser.find("run-output").getText().contains("\"text\": \"Hello, Ada!\""));
        for (String node : new String[] {"start", "template", "end"}) {
            browser.until(d -> browser.find("state-" + node).getText().startsWith("done"));
        }
        assertThat(server.get("/api/v1/flows/" + flowId, TestServer.ADMIN_AUTH).json().path("latest_version").isNull())
                .as("the Run panel test-runs the draft: nothing is published").isTrue();
    }

    @Test
    @Order(5)
    void publishes_and_shows_snippets_with_the_real_ids() {
        browser.click("publish");
        WebElement curl = browser.find("snippet-curl");
        curlSnippet = (String) browser.js("return arguments[0].textContent;", curl);   // as Copy copies it
        assertThat(curlSnippet).contains("/api/v1/scade/flow/" + flowId + "/execute", "YOUR_SERVER_KEY",
                "\"start_node_id\":\"start\"", "\"node_settings\":{\"start\":{\"data\":{\"name\":\"Ada\"}}}");   // the Run panel's sample
        browser.click("copy-curl");
        browser.until(d -> browser.find("copy-curl").getText().equals("Copied"));
        browser.click("snippet-tab-python");
        assertThat(browser.find("snippet-python").getText()).contains("import urllib.request", "/execute");
        browser.click("snippet-tab-curl");
        browser.screenshot(SCREENSHOTS.resolve("publish.png"));
        browser.click("publish-done");
    }

    @Test
    @Order(6)
    void makes_a_server_key_shown_once() {
        browser.click("nav-keys");
        browser.click("new-key");
        browser.type("key-name", "my backend");
        browser.click("create-key");
        serverKey = browser.find("new-key-value").getText();
        assertThat(serverKey).hasSizeGreaterThan(40);
        browser.click("key-done");
        browser.until(d -> d.findElements(Browser.test("key-row")).size() == 1);
        assertThat(browser.driver.getPageSource()).doesNotContain(serverKey);
        browser.screenshot(SCREENSHOTS.resolve("keys.png"));
    }

    @Test
    @Order(7)
    void the_copied_curl_request_runs_the_flow_with_the_new_key() throws Exception {
        JsonNode printed = new PublishedSnippet("curl", curlSnippet).run(serverKey);   // the script, run by sh
        long taskId = printed.path("id").asLong();
        JsonNode task = server.awaitTask(taskId, "Basic " + serverKey, Duration.ofSeconds(10));
        assertThat(printed.path("status").asInt()).isEqualTo(3);
        assertThat(task.path("status").asInt()).isEqualTo(3);
        assertThat(Json.write(task.path("result"))).isEqualTo("{\"text\":\"Hello, Ada!\"}");

        browser.driver.get(server.base() + "/#/tasks/" + taskId);
        browser.until(d -> d.findElements(By.cssSelector(".timeline .step")).size() == 3);
        browser.until(d -> browser.find("state-template").getText().startsWith("done"));
        browser.driver.findElements(By.cssSelector(".timeline .step-head")).get(1).click();
        browser.screenshot(SCREENSHOTS.resolve("task.png"));
    }

    /** The output types come from the server's catalogue: an http node's status is an integer there, not a boolean. */
    @Test
    @Order(8)
    void an_edge_whose_types_cannot_fit_is_marked_with_the_catalogues_types() {
        TestServer.Answer made = server.post("/api/v1/flows", """
                {"name": "Typed", "nodes": [
                  {"id": "start", "type": "start", "settings": {"inputs": {"site": {"type": "string"}}}},
                  {"id": "get", "type": "http", "settings": {"url": "{{site}}"}},
                  {"id": "end", "type": "end", "settings": {"outputs": {"ok": {"type": "boolean"}}}}],
                 "edges": [{"from_node": "start", "to_node": "get", "fields_mapping": [{"from_field": "site", "to_field": "site"}]},
                           {"from_node": "get", "to_node": "end", "fields_mapping": [{"from_field": "status", "to_field": "ok"}]}]}""",
                TestServer.ADMIN_AUTH);
        assertThat(made.status()).as(made.text()).isEqualTo(201);
        browser.driver.get(server.base() + "/#/flows/" + made.json().path("id").asLong());
        WebElement check = browser.find("edge-check-get.status>end.ok");
        assertThat(check.getAttribute("title")).isEqualTo("get.status is an integer, but end.ok takes a boolean");
    }
}
