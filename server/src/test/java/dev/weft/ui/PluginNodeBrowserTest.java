package dev.weft.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.api.TestServer;
import dev.weft.plugin.PluginJars;
import dev.weft.plugin.Plugins;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * A plugin's node in the builder, in a real headless Chromium: the example plugin (examples/node-plugin, compiled
 * by the test) is in the palette; its settings form comes from its catalogue schema (a select for an enum,
 * bounds for a number); the flow with it saves. Saves plugin-node.png under target/screenshots, or where {@code -Dweft.screenshots}
 * says.
 */
class PluginNodeBrowserTest {

    static final Path SCREENSHOTS = Path.of(System.getProperty("weft.screenshots", "target/screenshots"));
    static TestServer server;
    static Browser browser;

    @BeforeAll
    static void start() throws IOException {
        Path data = Files.createTempDirectory("weft-plugin-ui");
        PluginJars.build(PluginJars.EXAMPLE, data.resolve(Plugins.FOLDER).resolve("slugify.jar"));
        server = TestServer.start(config -> config.withDataDir(data));
        browser = new Browser(1440, 900);
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
        if (server != null) server.close();
    }

    @Test
    void a_plugin_node_is_in_the_palette_with_a_settings_form_from_its_schema() {
        browser.setUpAdmin(server.base(), "plugin password");
        browser.click("new-flow");
        browser.type("name-input", "Slugs");
        browser.click("name-submit");
        browser.find("node-start");

        assertThat(browser.find("palette-slugify").getText()).contains("Slugify");
        browser.click("palette-slugify");
        browser.find("node-slugify");
        browser.drag(browser.find("out-start-input"), browser.find("in-slugify-+"));
        browser.find("in-slugify-input");
        WebElement separator = browser.find("setting-separator");
        assertThat(separator.findElements(By.tagName("option")).stream().map(WebElement::getText).toList())
                .containsExactly("default (-)", "-", "_", ".");
        browser.type("setting-text", "{{input}}");

        // 0 is below the schema's minimum: the form, built from the plugin's schema, says so before any save
        // (the server's own check of the same schema is PluginsTest's).
        browser.type("setting-max_length", "0");
        browser.until(d -> d.findElements(By.cssSelector(".field-message")).stream()
                .anyMatch(e -> e.getText().equals("Maximum length must be at least 1")));

        browser.type("setting-max_length", "40");
        browser.until(d -> browser.find("save-state").getText().equals("Saved"));
        assertThat(browser.driver.findElements(Browser.test("problems-slugify"))).isEmpty();
        browser.drag(browser.find("out-slugify-slug"), browser.find("in-end-+"));
        browser.find("in-end-slug");
        browser.find("node-slugify").findElement(By.className("wnode-head")).click();
        browser.until(d -> browser.find("save-state").getText().equals("Saved"));
        browser.screenshot(SCREENSHOTS.resolve("plugin-node.png"));
        assertThat(List.of(browser.find("setting-text").getAttribute("value"))).containsExactly("{{input}}");
    }
}
