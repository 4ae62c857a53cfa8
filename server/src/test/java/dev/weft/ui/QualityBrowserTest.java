package dev.weft.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The details a new user reaches for, in a real headless Chromium: every page follows the system's dark setting
 * (emulated through DevTools) and reads light otherwise; the Run form names inputs by title; JSON output folds and
 * wraps without scrolling sideways; the task page shows the run's inputs and each step's settings as run; deleting
 * the start node clears the last run's states and the Run panel says to add one. Saves quality-&lt;page&gt;-light.png
 * and quality-&lt;page&gt;-dark.png for every page under target/screenshots (or {@code -Dweft.screenshots}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QualityBrowserTest extends BrowserTest {

    static final String LONG = "x".repeat(400);
    static final String FLOW = """
            {"name": "Greeting", "nodes": [
              {"id": "start", "type": "start", "settings": {"inputs": {
                "q": {"type": "string", "required": true, "title": "Your name"},
                "n": {"type": "integer"}}}},
              {"id": "greet", "type": "template", "settings": {"template": "Hello {{q}}"}},
              {"id": "end", "type": "end", "settings": {"outputs": {"text": {"type": "string"}}}}],
             "edges": [
              {"from_node": "start", "to_node": "greet", "fields_mapping": [{"from_field": "q", "to_field": "q"}]},
              {"from_node": "greet", "to_node": "end", "fields_mapping": [{"from_field": "text", "to_field": "text"}]}]}
            """;
    static long flowId;
    static long taskId;

    @BeforeAll
    static void start() {
        flowId = server.publishFlow(FLOW);
    }

    private static void scheme(String value) {
        browser.driver.executeCdpCommand("Emulation.setEmulatedMedia",
                Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", value))));
    }

    /** The relative luminance (0 black .. 1 white) of an element's computed background colour. */
    private static double luminance(String selector) {
        String color = (String) browser.js("return getComputedStyle(document.querySelector(arguments[0])).backgroundColor",
                selector);
        String[] parts = color.replaceAll("[^0-9.,]", "").split(",");
        double[] c = new double[3];
        for (int i = 0; i < 3; i++) {
            double v = Double.parseDouble(parts[i]) / 255;
            c[i] = v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
        }
        assertThat(parts.length == 3 || Double.parseDouble(parts[3]) > 0).as(selector + " has a background: " + color)
                .isTrue();
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    }

    /** Screenshots the page light and dark, checking that {@code selectors}' backgrounds follow the scheme. */
    private static void both(String page, String... selectors) {
        scheme("light");
        for (String s : selectors) assertThat(luminance(s)).as(page + " light: " + s).isGreaterThan(0.6);
        browser.screenshot(SCREENSHOTS.resolve("quality-" + page + "-light.png"));
        scheme("dark");
        for (String s : selectors) assertThat(luminance(s)).as(page + " dark: " + s).isLessThan(0.05);
        browser.screenshot(SCREENSHOTS.resolve("quality-" + page + "-dark.png"));
        scheme("light");
    }

    private static void open(String hash, String heading) {
        browser.driver.get(server.base() + "/#" + hash);
        browser.until(d -> d.findElements(By.tagName("h1")).stream().anyMatch(h -> h.getText().startsWith(heading)));
    }

    @Test
    @Order(1)
    void the_sign_in_page_follows_the_systems_dark_setting() {
        browser.driver.get(server.base() + "/");
        browser.until(d -> d.getPageSource().contains(Browser.FIRST_SCREEN));
        both("signin", "html", ".signin-card", "input[name='password']");
        browser.setUpAdmin(server.base(), "quality password");
        browser.find("new-flow");
    }

    @Test
    @Order(2)
    void the_run_form_labels_inputs_by_title_and_the_output_wraps_and_folds() {
        browser.driver.get(server.base() + "/#/flows/" + flowId);
        browser.find("node-greet");
        browser.click("open-run");
        WebElement label = browser.find("run-label-q");
        assertThat(label.getText()).startsWith("Your name").endsWith("q");
        assertThat(label.findElement(By.className("field-name")).getText()).isEqualTo("q");
        assertThat(browser.find("run-label-n").getText()).as("no title: the name").isEqualTo("n");

        browser.type("run-input-q", LONG);
        browser.click("run");
        WebElement output = browser.find("run-output");
        browser.until(d -> output.getText().contains("\"text\": \"Hello " + LONG.substring(0, 40)));
        Number overflow = (Number) browser.js("return arguments[0].scrollWidth - arguments[0].clientWidth", output);
        assertThat(overflow.intValue()).as("the long line wraps").isLessThanOrEqualTo(0);

        WebElement toggle = output.findElement(Browser.test("json-toggle"));
        toggle.click();
        browser.until(d -> output.getText().contains("1 key"));
        assertThat(output.getText()).doesNotContain("Hello");
        assertThat(toggle.getAttribute("aria-expanded")).isEqualTo("false");
        toggle.click();
        browser.until(d -> output.getText().contains("\"text\": \"Hello"));
        assertThat(browser.find("state-greet").getText()).startsWith("done");

        both("builder", "html", ".wnode", ".react-flow__controls-button", ".side");
        taskId = Long.parseLong(browser.find("run-result").findElement(By.cssSelector("h4 a")).getText().replace("#", ""));
    }

    @Test
    @Order(3)
    void the_task_page_shows_the_runs_inputs_and_each_steps_settings_as_run() {
        open("/tasks/" + taskId, "Task");
        assertThat(browser.find("task-inputs").getText()).contains("\"q\": \"" + LONG.substring(0, 40));
        assertThat(browser.find("task-result").getText()).contains("\"text\": \"Hello ");
        browser.click("step-greet");
        assertThat(browser.find("step-settings-greet").getText()).contains("\"template\": \"Hello " + LONG.substring(0, 40));
        assertThat(browser.find("step-inputs-greet").getText()).contains("\"q\":");
        browser.js("arguments[0].scrollIntoView({block: 'center'})", browser.find("step-settings-greet"));
        both("task", "html", ".step", ".task-graph");
    }

    @Test
    @Order(4)
    void every_other_page_reads_in_dark_and_in_light() {
        server.newKeyAuth("quality client");
        open("/flows", "Flows");
        both("flows", "html", ".table", ".topbar");
        open("/tasks", "Tasks");
        both("tasks", "html", ".table");
        open("/keys", "API keys");
        both("keys", "html", ".topbar");
        open("/knowledge", "Knowledge");
        both("knowledge", "html", ".topbar");
        open("/mcp", "MCP servers");
        both("mcp", "html", ".topbar");
        open("/credentials", "Credentials");
        both("credentials", "html", ".topbar");
        open("/templates", "Templates");
        both("templates", "html", ".topbar");
        open("/flows/" + flowId + "/versions", "Versions");
        both("versions", "html", ".topbar");
    }

    @Test
    @Order(5)
    void deleting_the_start_node_clears_the_run_states_and_the_run_panel_says_to_add_one() {
        long other = server.publishFlow(FLOW.replace("Greeting", "Greeting to break"));
        browser.driver.get(server.base() + "/#/flows/" + other);
        browser.find("node-greet");
        browser.click("open-run");
        browser.type("run-input-q", "Ada");
        browser.click("run");
        browser.until(d -> browser.find("run-output").getText().contains("Hello Ada"));
        assertThat(browser.find("state-greet").isDisplayed()).isTrue();

        browser.find("node-start").findElement(By.className("wnode-head")).click();
        new Actions(browser.driver).sendKeys(Keys.DELETE).perform();
        browser.until(d -> d.findElements(Browser.test("node-start")).isEmpty());
        assertThat(browser.driver.findElements(By.cssSelector("[data-test^='state-']"))).as("no stale states").isEmpty();
        assertThat(browser.driver.findElements(By.cssSelector(".wnode[class*='run-']"))).isEmpty();

        // the Run panel stays open beside the canvas while a node is picked; open it if it is not
        if (browser.driver.findElements(Browser.test("run-panel")).isEmpty()) browser.click("open-run");
        assertThat(browser.find("run-no-start").getText()).isEqualTo("Add a start node to run this flow.");
        browser.until(d -> !browser.find("run").isEnabled());
    }
}
