package dev.weft.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.api.TestServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;

/**
 * Samples are not defaults, in a real headless Chromium: an author adds a required input, tries the flow with
 * sample values in the Run panel (a test-run of the draft), and the saved flow holds no value for the inputs, so,
 * once published, an execute with {@code {}} is a 400 naming each one; the samples are still in the panel after a reload. A flow saved
 * earlier with a value in {@code settings.data} keeps running on it, and the builder shows it as a saved value.
 * Saves run-samples.png under target/screenshots, or where {@code -Dweft.screenshots} says.
 */
class RunSamplesBrowserTest extends BrowserTest {

    @BeforeAll
    static void start() {
        browser.setUpAdmin(server.base(), "samples password");
        browser.find("new-flow");
    }

    static JsonNode startNode(long flowId) {
        for (JsonNode node : server.get("/api/v1/flows/" + flowId, TestServer.ADMIN_AUTH).json().path("document").path("nodes")) {
            if (node.path("type").asText().equals("start")) return node;
        }
        throw new AssertionError("no start node in flow " + flowId);
    }

    static List<String> refusedFields(TestServer.Answer answer) {
        List<String> fields = new ArrayList<>();
        answer.json().path("errors").forEach(e -> fields.add(e.path("field").asText()));
        return fields;
    }

    @Test
    void a_sample_tried_in_the_run_panel_is_not_a_saved_value() {
        browser.driver.get(server.base() + "/#/flows");
        browser.click("new-flow");
        browser.type("name-input", "Samples");
        browser.click("name-submit");
        browser.find("node-start");
        long flowId = Long.parseLong(browser.driver.getCurrentUrl().replaceAll(".*#/flows/(\\d+).*", "$1"));

        // a second input, required
        browser.find("node-start").findElement(By.className("wnode-head")).click();
        browser.click("add-field");
        WebElement second = browser.find("field-row-1");
        second.findElement(By.cssSelector("label.check input[type='checkbox']")).click();
        browser.until(d -> browser.find("save-state").getText().equals("Saved"));
        assertThat(startNode(flowId).path("settings").path("inputs").path("field_2").path("required").asBoolean()).isTrue();
        browser.clickEmptyCanvas();

        // tried with samples: the run test-runs the draft on them
        browser.click("open-run");
        assertThat(browser.find("run-input-input").getAttribute("value")).as("a new flow has no sample").isEmpty();
        assertThat(browser.find("run-input-input").getAttribute("placeholder")).isEqualTo("required");
        browser.type("run-input-input", "Hello");
        browser.type("run-input-field_2", "a sample");
        browser.click("run");
        browser.until(d -> browser.find("run-output").getText().contains("\"output\": \"Hello\""));
        browser.screenshot(SCREENSHOTS.resolve("run-samples.png"));

        JsonNode start = startNode(flowId);
        assertThat(start.path("settings").path("data").isMissingNode() || start.path("settings").path("data").isEmpty())
                .as("no sample saved in the flow: " + start).isTrue();
        assertThat(server.get("/api/v1/flows/" + flowId, TestServer.ADMIN_AUTH).json().path("latest_version").isNull())
                .as("a test-run publishes nothing").isTrue();
        assertThat(server.post("/api/v1/flows/" + flowId + "/publish", null, TestServer.ADMIN_AUTH).status()).isEqualTo(201);

        // an execute that gives no values is refused, naming each required input
        String key = server.newKeyAuth("samples client");
        TestServer.Answer empty = server.post("/api/v1/scade/flow/" + flowId + "/execute", "{}", key);
        assertThat(empty.status()).as(empty.text()).isEqualTo(400);
        assertThat(refusedFields(empty)).containsExactly("node_settings.start.data.input", "node_settings.start.data.field_2");

        // the samples stay in this browser
        browser.driver.navigate().refresh();
        browser.click("open-run");
        assertThat(browser.find("run-input-input").getAttribute("value")).isEqualTo("Hello");
        assertThat(browser.find("run-input-field_2").getAttribute("value")).isEqualTo("a sample");

        // at 1024x700 the panel still shows its note and its run button within the window
        browser.driver.manage().window().setSize(new Dimension(1024, 700));
        try {
            WebElement run = browser.find("run");
            browser.js("arguments[0].scrollIntoView({block: 'nearest'})", run);
            assertThat(browser.find("samples-note").isDisplayed()).isTrue();
            Number right = (Number) browser.js("return arguments[0].getBoundingClientRect().right", run);
            assertThat(right.doubleValue()).isLessThanOrEqualTo(((Number) browser.js("return window.innerWidth")).doubleValue());
        } finally {
            browser.driver.manage().window().setSize(new Dimension(1440, 900));
        }
    }

    @Test
    void a_value_saved_in_settings_data_before_keeps_working_and_is_shown_as_saved() {
        long flowId = server.publishFlow("""
                {"name": "older flow", "nodes": [
                  {"id": "start", "type": "start", "settings": {"inputs": {"name": {"type": "string", "required": true}},
                   "data": {"name": "Hello"}}},
                  {"id": "end", "type": "end", "settings": {"outputs": {"name": {"type": "string"}}}}],
                 "edges": [{"from_node": "start", "to_node": "end", "fields_mapping": [{"from_field": "name", "to_field": "name"}]}]}""");
        String key = server.newKeyAuth("older client");
        TestServer.Answer accepted = server.post("/api/v1/scade/flow/" + flowId + "/execute", "{}", key);
        assertThat(accepted.status()).as(accepted.text()).isIn(200, 202);
        JsonNode task = server.awaitTask(accepted.json().path("id").asLong(), key, java.time.Duration.ofSeconds(30));
        assertThat(task.path("result").path("name").asText()).isEqualTo("Hello");

        browser.driver.get(server.base() + "/#/flows/" + flowId);
        browser.find("node-start").findElement(By.className("wnode-head")).click();
        assertThat(browser.find("saved-values").getText()).contains("Saved values", "Hello");
        browser.click("open-run");
        assertThat(browser.find("run-input-name").getAttribute("placeholder")).isEqualTo("saved value: Hello");
    }
}
