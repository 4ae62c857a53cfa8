package dev.weft.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.api.TestServer;
import dev.weft.builtin.FakeModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * Drafts in a real headless Chromium: the Run panel test-runs the edited draft while the published version stays
 * what server keys run; a node's output is pinned from the last run (marked on the canvas) and the next run does not
 * call the model; one node runs alone on inputs typed in the inspector; the playground chats with an unpublished
 * flow, streaming the model's answer, and sends one session_id for the whole conversation. Saves drafts-run.png,
 * drafts-node-run.png and playground.png under target/screenshots, or where {@code -Dweft.screenshots} says.
 */
class DraftsBrowserTest extends BrowserTest {

    static final String ASK = """
            {"name": "ask and shout", "nodes": [
              {"id": "start", "type": "start", "settings": {"inputs": {"q": {"type": "string", "required": true}}},
               "position": {"x": 0, "y": 0}},
              {"id": "ask", "type": "llm", "settings": {"base_url": "%s", "model": "gpt-4o-mini", "user": "{{start.q}}",
                "max_retries": 0}, "position": {"x": 300, "y": 0}},
              {"id": "shout", "type": "template", "settings": {"template": "{{ask.text}}!"}, "position": {"x": 600, "y": 0}},
              {"id": "end", "type": "end", "settings": {"outputs": {"text": {"type": "string"}}}, "position": {"x": 900, "y": 0}}],
             "edges": [
              {"from_node": "start", "to_node": "ask", "fields_mapping": [{"from_field": "q", "to_field": "q"}]},
              {"from_node": "ask", "to_node": "shout", "fields_mapping": [{"from_field": "text", "to_field": "text"}]},
              {"from_node": "shout", "to_node": "end", "fields_mapping": [{"from_field": "text", "to_field": "text"}]}]}""";
    static final String CHAT = """
            {"name": "chat", "nodes": [
              {"id": "start", "type": "start", "settings": {"inputs": {"message": {"type": "string", "required": true},
                "session_id": {"type": "string"}}}, "position": {"x": 0, "y": 0}},
              {"id": "reply", "type": "llm", "settings": {"base_url": "%s", "model": "gpt-4o-mini",
                "user": "{{start.message}}", "max_retries": 0}, "position": {"x": 300, "y": 0}},
              {"id": "end", "type": "end", "settings": {"outputs": {"text": {"type": "string"}}}, "position": {"x": 600, "y": 0}}],
             "edges": [
              {"from_node": "start", "to_node": "reply", "fields_mapping": [{"from_field": "message", "to_field": "message"}]},
              {"from_node": "reply", "to_node": "end", "fields_mapping": [{"from_field": "text", "to_field": "text"}]}]}""";

    static FakeModel model;

    @BeforeAll
    static void start() throws Exception {
        model = new FakeModel();
        browser.setUpAdmin(server.base(), "drafts password");
        browser.until(d -> !d.findElements(Browser.test("nav-knowledge")).isEmpty());
    }

    @AfterAll
    static void stop() throws Exception {
        if (model != null) model.close();
    }

    static FakeModel.Script answer(Object... pieces) {
        List<Object> steps = new ArrayList<>();
        for (Object piece : pieces) {
            steps.add(piece instanceof String text ? StreamingBrowserTest.chunk(text, null) : piece);
        }
        steps.add(StreamingBrowserTest.chunk(null, "stop"));
        steps.add("data: [DONE]\n\n");
        return FakeModel.Script.events(steps.toArray());
    }

    static JsonNode flow(long id) {
        return server.get("/api/v1/flows/" + id, TestServer.ADMIN_AUTH).json();
    }

    static void select(String node) {
        browser.clickEmptyCanvas();
        browser.find("node-" + node).findElement(By.className("wnode-head")).click();
    }

    @Test
    void the_run_panel_runs_the_draft_unpublished_pins_a_node_and_runs_one_node() {
        model.requests.clear();
        long id = server.publishFlow(ASK.formatted(model.base("/v1")));
        browser.driver.get(server.base() + "/#/flows/" + id);
        browser.click("open-run");
        assertThat(browser.find("run").getText()).isEqualTo("Run draft (no publish)");
        browser.type("run-input-q", "Hi");
        model.enqueue(answer("first answer"));
        browser.click("run");
        browser.until(d -> browser.find("run-output").getText().contains("\"text\": \"first answer!\""));
        browser.find("run-draft");
        assertThat(flow(id).path("latest_version").asInt()).as("the run published nothing").isEqualTo(1);
        assertThat(server.get("/api/v1/flows/" + id + "/versions", TestServer.ADMIN_AUTH).json().path("versions")).hasSize(1);
        browser.screenshot(SCREENSHOTS.resolve("drafts-run.png"));

        // pin the model's output from the last run: the canvas marks the node, the draft keeps the pin
        browser.click("open-run");
        select("ask");
        assertThat(browser.find("node-inputs").getAttribute("value")).contains("\"start\"").contains("\"q\": \"Hi\"");
        browser.click("pin-output");
        browser.find("pinned-ask");
        browser.find("unpin");
        browser.until(d -> browser.find("save-state").getText().equals("Saved"));
        JsonNode pinned = flow(id).path("document").path("nodes").get(1).path("pinned");
        assertThat(pinned.path("outputs").path("text").asText()).isEqualTo("first answer");

        // one node alone, on inputs typed in the inspector
        select("shout");
        WebElement inputs = browser.find("node-inputs");
        browser.js("arguments[0].scrollIntoView({block: 'center'})", inputs);
        browser.type("node-inputs", "{\"ask\": {\"text\": \"typed\"}}");
        browser.click("run-node");
        browser.until(d -> browser.find("node-run-output").getText().contains("\"text\": \"typed!\""));
        browser.js("arguments[0].scrollIntoView({block: 'center'})", browser.find("node-run-output"));
        browser.screenshot(SCREENSHOTS.resolve("drafts-node-run.png"));

        // the next whole run takes the pinned output: the model is not called again
        browser.click("open-run");
        String before = browser.find("run-result").findElement(By.cssSelector("h4 a")).getText();
        browser.click("run");
        browser.until(d -> !browser.find("run-result").findElement(By.cssSelector("h4 a")).getText().equals(before)
                && browser.find("run-output").getText().contains("\"text\": \"first answer!\""));
        assertThat(model.requests).as("only the first run called the model").hasSize(1);
        assertThat(flow(id).path("latest_version").asInt()).isEqualTo(1);
    }

    @Test
    void the_playground_chats_with_the_draft_streaming_the_answer_with_one_session() throws Exception {
        model.requests.clear();
        TestServer.Answer created = server.post("/api/v1/flows", CHAT.formatted(model.base("/v1")), TestServer.ADMIN_AUTH);
        long id = created.json().path("id").asLong();
        browser.driver.get(server.base() + "/#/flows/" + id);
        browser.click("open-playground");
        assertThat(browser.find("playground-session").getText()).startsWith("playground-");

        CountDownLatch release = new CountDownLatch(1);
        model.enqueue(answer("Hello! ", new FakeModel.Step.Hold(release), "How can I help?"));
        browser.type("chat-input", "Hi there");
        browser.click("chat-send");
        try {
            browser.until(d -> browser.find("chat-assistant").getText().startsWith("Hello!"));
            assertThat(browser.find("chat-assistant").getText()).as("streamed: the model has not finished")
                    .doesNotContain("How can I help?");
        } finally {
            release.countDown();
        }
        browser.until(d -> browser.find("chat-assistant").getText().startsWith("Hello! How can I help?")
                && browser.find("chat-steps").getText().startsWith("3 steps"));

        model.enqueue(answer("Still here."));
        browser.type("chat-input", "Are you there?");
        browser.click("chat-send");
        browser.until(d -> d.findElements(Browser.test("chat-assistant")).size() == 2
                && d.findElements(Browser.test("chat-assistant")).get(1).getText().startsWith("Still here."));
        browser.driver.findElements(Browser.test("chat-steps")).get(1).click();
        browser.screenshot(SCREENSHOTS.resolve("playground.png"));

        JsonNode tasks = server.get("/api/v1/tasks?flow_id=" + id, TestServer.ADMIN_AUTH).json().path("tasks");
        assertThat(tasks).hasSize(2);
        List<String> sessions = new ArrayList<>();
        for (JsonNode task : tasks) {
            assertThat(task.path("draft").asBoolean()).isTrue();
            for (JsonNode step : server.get("/api/v1/task/" + task.path("id").asLong() + "/steps", TestServer.ADMIN_AUTH)
                    .json().path("steps")) {
                if (step.path("node_id").asText().equals("start")) sessions.add(step.path("outputs").path("session_id").asText());
            }
        }
        assertThat(sessions).hasSize(2).allMatch(s -> s.startsWith("playground-"));
        assertThat(sessions.get(0)).as("one session for the conversation").isEqualTo(sessions.get(1));
        assertThat(flow(id).path("latest_version").isNull()).isTrue();
    }
}
