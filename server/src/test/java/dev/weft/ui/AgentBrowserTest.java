package dev.weft.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.api.TestServer;
import dev.weft.builtin.FakeModel;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * An agent run from the builder in a real headless Chromium: the node shows its typed outputs, the model (a fake
 * OpenAI-compatible server) asks for an HTTP tool, Weft calls it, and the answer streams into the Run panel while
 * the task still runs; the finished task holds the tool call. Saves agent.png under target/screenshots, or where
 * {@code -Dweft.screenshots} says.
 */
class AgentBrowserTest extends BrowserTest {

    static final String FLOW = """
            {"name": "support agent", "nodes": [
              {"id": "start", "type": "start", "settings": {"inputs": {"q": {"type": "string", "required": true}}}},
              {"id": "agent", "type": "agent", "settings": {"base_url": "%s", "model": "gpt-4o-mini",
                "system": "You check services before you answer.", "user": "{{start.q}}", "max_retries": 0,
                "tools": [{"type": "http", "name": "health", "description": "Whether Weft is up",
                  "url": "%s/health", "parameters": {"type": "object", "properties": {}}}]}},
              {"id": "end", "type": "end", "settings": {"outputs": {"text": {"type": "string"}}}}],
             "edges": [
              {"from_node": "start", "to_node": "agent", "fields_mapping": [{"from_field": "q", "to_field": "q"}]},
              {"from_node": "agent", "to_node": "end", "fields_mapping": [{"from_field": "text", "to_field": "text"}]}]}""";
    /** A whole chat completion asking for the tool (OpenAI's chat completions reference, tool_calls). */
    static final String TOOL_CALL = """
            {"id": "chatcmpl-1", "object": "chat.completion", "created": 1764000000, "model": "gpt-4o-mini",
             "choices": [{"index": 0, "finish_reason": "tool_calls", "message": {"role": "assistant", "content": null,
               "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "health", "arguments": "{}"}}]}}],
             "usage": {"prompt_tokens": 40, "completion_tokens": 7, "total_tokens": 47}}""";

    static FakeModel model;

    @BeforeAll
    static void start() throws Exception {
        model = new FakeModel();
    }

    @AfterAll
    static void stop() throws Exception {
        if (model != null) model.close();
    }

    @Test
    void an_agent_calls_its_tool_and_streams_its_answer_into_the_run_panel() {
        CountDownLatch watching = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        model.enqueue(FakeModel.Script.status(200, TOOL_CALL));
        model.enqueue(FakeModel.Script.events(new FakeModel.Step.Hold(watching),
                StreamingBrowserTest.chunk("Weft is up: ", null), StreamingBrowserTest.chunk("the health check says ok.", null),
                new FakeModel.Step.Hold(release), StreamingBrowserTest.chunk(null, "stop"), "data: [DONE]\n\n"));
        long flow = server.publishFlow(FLOW.formatted(model.base("/v1"), server.base()));
        browser.setUpAdmin(server.base(), "agent password");
        browser.until(d -> !d.findElements(Browser.test("nav-knowledge")).isEmpty());
        browser.driver.get(server.base() + "/#/flows/" + flow);
        browser.until(d -> d.getPageSource().contains("tool_calls"));   // the agent node shows its outputs
        browser.click("open-run");
        browser.type("run-input-q", "Is Weft up?");
        browser.click("run");

        try {
            browser.until(d -> StreamingBrowserTest.openStreams(server) >= 1);
            watching.countDown();
            browser.until(d -> browser.find("run-live").getText().equals("Weft is up: the health check says ok."));
            browser.screenshot(SCREENSHOTS.resolve("agent.png"));
        } finally {
            watching.countDown();
            release.countDown();
        }
        browser.until(d -> browser.find("run-output").getText().contains("Weft is up: the health check says ok."));
        long taskId = Long.parseLong(browser.find("run-result").findElement(By.cssSelector("h4 a")).getText()
                .replace("#", ""));
        JsonNode journal = server.get("/api/v1/task/" + taskId + "/steps/agent/journal", TestServer.ADMIN_AUTH).json();
        assertThat(journal.toString()).as("the tool's answer is in the step's journal").contains("tool:1:0")
                .contains("\"status\":\"ok\"");
        assertThat(model.requests).hasSize(2);
    }
}
