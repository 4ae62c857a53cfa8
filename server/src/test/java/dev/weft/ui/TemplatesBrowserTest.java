package dev.weft.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.api.TestServer;
import dev.weft.json.Json;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;

/**
 * The templates gallery and the Publish dialog's snippets in a real headless Chromium: a fresh install's empty Flows
 * page offers the templates, choosing one makes a new draft and opens it in the builder, "New from template" reaches
 * the gallery with flows listed, and each snippet of the Publish dialog, taken as the page shows it, runs (sh,
 * python3, node, java, go) against the live server and prints the finished task with the flow's result. Saves
 * templates-empty.png, templates.png and publish-snippets.png.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TemplatesBrowserTest extends BrowserTest {

    static long flowId;

    @Test
    @Order(1)
    void the_empty_flows_page_offers_the_templates_and_one_opens_as_a_new_flow_in_the_builder() {
        browser.setUpAdmin(server.base(), "templates password");

        browser.find("template-gallery");
        assertThat(browser.driver.findElements(By.cssSelector("[data-test^='use-template-']"))).hasSizeGreaterThanOrEqualTo(8);
        assertThat(browser.find("needs-hello").getText()).isEqualTo("Runs as it is");
        assertThat(browser.find("needs-rag").getText()).contains("credential openai (API key)", "knowledge base handbook");
        assertThat(browser.find("needs-rag").findElements(By.cssSelector(".need-missing"))).hasSize(2);
        browser.screenshot(SCREENSHOTS.resolve("templates-empty.png"));

        browser.click("use-template-hello");

        browser.find("node-greet");
        browser.find("node-start");
        browser.find("node-end");
        JsonNode flows = server.get("/api/v1/flows", TestServer.ADMIN_AUTH).json().path("flows");
        assertThat(flows).hasSize(1);
        flowId = flows.get(0).path("id").asLong();
        assertThat(browser.driver.getCurrentUrl()).endsWith("#/flows/" + flowId);
        assertThat(flows.get(0).path("name").asText()).isEqualTo("Hello");
        assertThat(flows.get(0).path("latest_version").isNull()).as("a new draft").isTrue();
    }

    @Test
    @Order(2)
    void new_from_template_on_the_flows_page_opens_the_gallery() {
        browser.driver.get(server.base() + "/#/flows");
        browser.find("flow-row-" + flowId);
        assertThat(browser.driver.findElements(Browser.test("template-gallery"))).as("not offered once flows exist").isEmpty();

        browser.click("new-from-template");

        assertThat(browser.find("needs-agent-tools").getText()).contains("credential openai", "makes a hello flow");
        assertThat(browser.find("template-scade-import").getText()).contains("Scade import sample", "credential replicate");
        browser.screenshot(SCREENSHOTS.resolve("templates.png"));
    }

    @Test
    @Order(3)
    void every_publish_snippet_runs_as_shown_and_prints_the_tasks_result() {
        String key = server.newKeyAuth("snippets").substring("Basic ".length());
        browser.driver.get(server.base() + "/#/flows/" + flowId);
        browser.find("node-greet");
        browser.click("publish");

        Map<String, CompletableFuture<JsonNode>> runs = new TreeMap<>();
        for (String language : PublishedSnippet.RUN.keySet().stream().sorted().toList()) {
            browser.click("snippet-tab-" + language);
            String text = (String) browser.js("return arguments[0].textContent;", browser.find("snippet-" + language));
            // the snippets run side by side: compiling the Java and Go ones takes seconds each
            runs.put(language, CompletableFuture.supplyAsync(() -> new PublishedSnippet(language, text).run(key)));
        }

        for (var run : runs.entrySet()) {
            String language = run.getKey();
            JsonNode task = run.getValue().join();
            assertThat(task.path("status").asInt()).as(language + ": " + task).isEqualTo(3);
            assertThat(task.path("result")).as(language).isEqualTo(Json.read("{\"greeting\": \"Hello, Ada!\"}"));
            assertThat(task.path("flow_id").asLong()).as(language).isEqualTo(flowId);
        }
        browser.click("snippet-tab-curl");
        browser.screenshot(SCREENSHOTS.resolve("publish-snippets.png"));
        JsonNode tasks = server.get("/api/v1/tasks?flow_id=" + flowId, TestServer.ADMIN_AUTH).json().path("tasks");
        assertThat(tasks).as("one task per snippet").hasSize(PublishedSnippet.RUN.size());
    }
}
