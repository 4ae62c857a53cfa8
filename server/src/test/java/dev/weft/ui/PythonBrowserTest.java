package dev.weft.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.api.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * A python node in the builder, in a real headless Chromium: its code field says Python, Tab indents it, the
 * edited code saves, and a run from the Run panel shows what the code returned and printed. Saves python.png under
 * target/screenshots, or where {@code -Dweft.screenshots} says.
 */
class PythonBrowserTest extends BrowserTest {

    @Test
    void a_python_node_is_edited_with_python_indentation_and_runs_from_the_run_panel() {
        long flow = server.publishFlow(TestServer.example("python.json"));
        browser.setUpAdmin(server.base(), "python password");
        browser.until(d -> !d.findElements(Browser.test("nav-knowledge")).isEmpty());
        browser.driver.get(server.base() + "/#/flows/" + flow);
        browser.find("node-stats").findElement(By.className("wnode-head")).click();
        assertThat(browser.find("language-code").getText()).isEqualTo("Python");
        assertThat(browser.find("setting-code").getAttribute("data-language")).isEqualTo("python");

        WebElement code = browser.find("setting-code");
        code.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
        code.sendKeys("words = inputs['text'].split()\nlongest = ''\nfor w in words:\n", Keys.TAB,
                "if len(w) > len(longest):\n", Keys.TAB, Keys.TAB, "longest = w\n",
                "print('longest:', longest)\n",
                "return {'words': len(words), 'top': [longest], 'mean_length': len(longest)}");
        browser.until(d -> browser.find("save-state").getText().equals("Saved") && server.get("/api/v1/flows/" + flow,
                TestServer.ADMIN_AUTH).json().path("document").path("nodes").get(1).path("settings").path("code").asText()
                .endsWith("len(longest)}"));
        JsonNode saved = server.get("/api/v1/flows/" + flow, TestServer.ADMIN_AUTH).json().path("document");
        assertThat(saved.path("nodes").get(1).path("settings").path("code").asText()).contains("""
                for w in words:
                    if len(w) > len(longest):
                        longest = w
                print('longest:', longest)""");

        browser.click("open-run");
        browser.type("run-input-text", "a sandboxed interpreter");
        browser.click("run");
        browser.until(d -> browser.find("run-output").getText().contains("\"top\": ["));
        String output = browser.find("run-output").getText();
        assertThat(output).contains("\"words\": 3").contains("\"interpreter\"").contains("\"mean_length\": 11")
                .contains("\"longest: interpreter\"");

        // The node's inspector: its Python code above what its last run returned.
        browser.click("open-run");
        browser.find("node-stats").findElement(By.className("wnode-head")).click();
        browser.until(d -> d.findElement(By.cssSelector(".run-output")).getText().contains("longest: interpreter"));
        browser.screenshot(SCREENSHOTS.resolve("python.png"));
        browser.driver.manage().window().setSize(new Dimension(1024, 700));
        assertThat(browser.find("language-code").getText()).isEqualTo("Python");
        browser.screenshot(Path.of("target/screenshots/python-1024.png"));
    }
}
