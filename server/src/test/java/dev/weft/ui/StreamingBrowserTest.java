package dev.weft.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.api.TestServer;
import dev.weft.builtin.FakeModel;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The builder's Run panel in a real headless Chromium shows an llm step's text as the model streams it: a fake
 * OpenAI-compatible server sends "Hello" and holds the stream until the test releases it, and the text is on the
 * page while the task still runs. Saves streaming.png under target/screenshots, or where {@code -Dweft.screenshots}
 * says.
 */
class StreamingBrowserTest extends BrowserTest {

    static final String FLOW = """
            {"name": "ask a model", "nodes": [
              {"id": "start", "type": "start", "settings": {"inputs": {"q": {"type": "string", "required": true}}}},
              {"id": "ask", "type": "llm", "settings": {"base_url": "%s", "model": "gpt-4o-mini", "user": "{{start.q}}",
                "max_retries": 0}},
              {"id": "end", "type": "end", "settings": {"outputs": {"text": {"type": "string"}}}}],
             "edges": [
              {"from_node": "start", "to_node": "ask", "fields_mapping": [{"from_field": "q", "to_field": "q"}]},
              {"from_node": "ask", "to_node": "end", "fields_mapping": [{"from_field": "text", "to_field": "text"}]}]}""";

    static FakeModel model;

    @BeforeAll
    static void start() throws Exception {
        model = new FakeModel();
    }

    @AfterAll
    static void stop() throws Exception {
        if (model != null) model.close();
    }

    /** OpenAI's chunk format (OpenAI's chat streaming reference), as the e2e StreamingTest sends it. */
    static String chunk(String content, String finish) {
        String delta = content == null ? "{}" : "{\"content\":\"" + content + "\"}";
        return "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1764000000,"
                + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"delta\":" + delta
                + ",\"logprobs\":null,\"finish_reason\":" + (finish == null ? "null" : "\"" + finish + "\"") + "}],\"usage\":null}\n\n";
    }

    /** The server's open event streams, from its metrics. */
    static double openStreams() {
        return openStreams(server);
    }

    /** {@code server}'s open event streams, from its metrics. */
    static double openStreams(TestServer server) {
        for (String line : server.get("/metrics", null).text().split("\n")) {
            if (line.startsWith("weft_event_streams ")) return Double.parseDouble(line.substring(19).trim());
        }
        return 0;
    }

    @Test
    void the_run_panel_shows_the_models_text_before_the_task_finishes() {
        CountDownLatch watching = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // deltas are live only: the model starts once the page watches the task (its event stream is open)
        model.enqueue(FakeModel.Script.events(new FakeModel.Step.Hold(watching), chunk("Weft streams ", null), chunk("each token", null),
                new FakeModel.Step.Hold(release), chunk(" as it arrives.", null), chunk(null, "stop"), "data: [DONE]\n\n"));
        long flow = server.publishFlow(FLOW.formatted(model.base("/v1")));
        browser.setUpAdmin(server.base(), "streaming password");
        browser.until(d -> !d.findElements(Browser.test("nav-knowledge")).isEmpty());
        browser.driver.get(server.base() + "/#/flows/" + flow);
        browser.click("open-run");
        browser.type("run-input-q", "Tell me about Weft");
        browser.click("run");

        try {
            browser.until(d -> openStreams() >= 1);
            watching.countDown();
            browser.until(d -> browser.find("run-live").getText().equals("Weft streams each token"));
            long taskId = Long.parseLong(browser.find("run-result").findElement(By.cssSelector("h4 a")).getText().replace("#", ""));
            assertThat(server.get("/api/v1/task/" + taskId, TestServer.ADMIN_AUTH).json().path("status").asInt())
                    .as("the task is still running: the model holds its stream").isLessThan(3);
            browser.screenshot(SCREENSHOTS.resolve("streaming.png"));
        } finally {
            watching.countDown();
            release.countDown();
        }
        browser.until(d -> browser.find("run-output").getText().contains("\"text\": \"Weft streams each token as it arrives.\""));
        assertThat(browser.driver.findElements(Browser.test("run-live"))).isEmpty();
    }
}
