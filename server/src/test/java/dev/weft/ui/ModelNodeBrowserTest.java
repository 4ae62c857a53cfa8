package dev.weft.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.api.TestServer;
import dev.weft.json.Json;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The model node in the builder at 1024x700, in a real headless Chromium: it is in the palette, its {@code input}
 * (a JSON object) is edited as JSON in a text area, text that is not JSON is refused in the form and not saved, and
 * the object with a {@code {{ }}} reference is saved into the flow as an object. Saves model-node.png under
 * target/screenshots, or where {@code -Dweft.screenshots} says.
 */
class ModelNodeBrowserTest {

    static final Path SCREENSHOTS = Path.of(System.getProperty("weft.screenshots", "target/screenshots"));
    static TestServer server;
    static Browser browser;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        browser = new Browser(1024, 700);
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
        if (server != null) server.close();
    }

    @Test
    void the_model_nodes_input_is_edited_as_a_json_object_with_references() {
        browser.setUpAdmin(server.base(), "model password");
        browser.click("new-flow");
        browser.type("name-input", "Paint");
        browser.click("name-submit");
        browser.find("node-start");

        assertThat(browser.find("palette-model").getText()).contains("Model");
        browser.click("palette-model");
        browser.find("node-model");
        browser.drag(browser.find("out-start-input"), browser.find("in-model-+"));
        browser.find("in-model-input");
        browser.type("setting-model", "black-forest-labs/flux-schnell");
        browser.type("setting-input", "{\"prompt\": \"{{start.input}}\", ");
        browser.until(d -> d.findElements(By.cssSelector(".field-message")).stream()
                .anyMatch(e -> e.getText().startsWith("Input is not valid JSON")));

        browser.type("setting-input", "{\"prompt\": \"{{start.input}}\", \"num_outputs\": 2}");
        browser.until(d -> d.findElements(By.cssSelector(".field-message")).isEmpty());
        browser.until(d -> browser.find("save-state").getText().equals("Saved"));
        browser.screenshot(SCREENSHOTS.resolve("model-node.png"));

        String flows = server.get("/api/v1/flows", TestServer.ADMIN_AUTH).text();
        long id = Json.read(flows).path("flows").get(0).path("id").asLong();
        var document = server.get("/api/v1/flows/" + id, TestServer.ADMIN_AUTH).json();
        var model = java.util.stream.StreamSupport.stream(document.path("document").path("nodes").spliterator(), false)
                .filter(n -> n.path("type").asText().equals("model")).findFirst().orElseThrow();
        assertThat(model.path("settings").path("input"))
                .isEqualTo(Json.read("{\"prompt\": \"{{start.input}}\", \"num_outputs\": 2}"));
        assertThat(model.path("settings").path("model").asText()).isEqualTo("black-forest-labs/flux-schnell");
    }
}
