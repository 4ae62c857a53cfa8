package dev.weft.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.api.TestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Rectangle;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.interactions.WheelInput;

/**
 * The real Scade export (three mlscade/fooocus nodes behind three IF nodes) imported through the flows page in a
 * real headless Chromium: the import's report lists what was mapped and what needs attention, the builder shows
 * every node, the fooocus nodes as "needs replacing" placeholders (or as model nodes once this Weft has that type),
 * a placeholder's panel names its Scade processor, and Publish reports each placeholder. Saves scade-import.png
 * under target/screenshots, or where {@code -Dweft.screenshots} says; checks the same at 1024x700.
 */
class ScadeImportBrowserTest extends BrowserTest {

    static final Path EXPORT = Path.of("src/test/resources/scade-export.json").toAbsolutePath();
    static final List<String> FOOOCUS = List.of("tqAT-vetkastar-fooocus", "mbdQ-vetkastar-fooocus",
            "UYiG-vetkastar-fooocus");

    @Test
    void the_real_export_imports_whole_opens_in_the_builder_and_publish_names_the_placeholders() {
        boolean hasModel = false;
        for (JsonNode type : server.get("/api/v1/node-types", TestServer.ADMIN_AUTH).json().path("node_types")) {
            hasModel |= type.path("type").asText().equals("model");
        }
        browser.setUpAdmin(server.base(), "scade password");
        browser.until(d -> !d.findElements(Browser.test("nav-keys")).isEmpty());
        WebElement input = browser.driver.findElement(Browser.test("import-file"));
        browser.js("arguments[0].hidden = false;", input);
        input.sendKeys(EXPORT.toString());
        browser.js("arguments[0].hidden = true;", input);

        String report = browser.find("import-report").getText();
        assertThat(report).contains("8 nodes and 20 edges came over");
        if (!hasModel) assertThat(report).contains("3 nodes need replacing before the flow can be published");
        assertThat(browser.find("import-mapped").getText()).contains("wFps-if-condition-stop-execution",
                "if-condition-stop-execution → if");
        String attention = browser.find("import-attention").getText();
        for (String id : FOOOCUS) assertThat(attention).contains(id);
        browser.screenshot(SCREENSHOTS.resolve("scade-import-report.png"));
        browser.click("import-open");

        for (String id : FOOOCUS) browser.find("node-" + id);
        assertThat(browser.driver.findElements(By.cssSelector("[data-test^='node-']"))).hasSize(8);
        if (hasModel) {
            assertThat(browser.find("node-tqAT-vetkastar-fooocus").getText()).contains("vetkastar/fooocus");
            browser.screenshot(SCREENSHOTS.resolve("scade-import.png"));
            return;
        }
        for (String id : FOOOCUS) assertThat(browser.find("needs-replacing-" + id).getText()).isEqualTo("needs replacing");
        browser.find("node-tqAT-vetkastar-fooocus").findElement(By.className("wnode-title")).click();
        assertThat(browser.find("placeholder-note").getText()).contains("Needs replacing.", "mlscade/fooocus",
                "maps to a model node");
        assertThat(browser.find("scade-settings").getText()).contains("\"sampler_name\": \"dpmpp_2m_sde_gpu\"");

        // Scade's canvas is large: zoom in on the first fooocus node and its IF, as a person would to read them
        for (int i = 0; i < 2; i++) {
            new Actions(browser.driver).scrollFromOrigin(WheelInput.ScrollOrigin.fromElement(
                    browser.find("node-tqAT-vetkastar-fooocus")), 0, -200).perform();
        }
        browser.click("publish");
        WebElement toast = browser.until(d -> {
            List<WebElement> toasts = d.findElements(By.cssSelector(".toast-error"));
            return toasts.isEmpty() ? null : toasts.get(0);
        });
        for (String id : FOOOCUS) {
            assertThat(toast.getText()).contains("node '" + id + "' (Scade processor 'mlscade/fooocus') needs replacing");
        }
        browser.screenshot(SCREENSHOTS.resolve("scade-import.png"));
        long flow = server.get("/api/v1/flows", TestServer.ADMIN_AUTH).json().path("flows").get(0).path("id").asLong();
        assertThat(server.get("/api/v1/flows/" + flow, TestServer.ADMIN_AUTH).json().path("latest_version").isNull())
                .isTrue();

        // at 1024x700 the badge stays inside its node and the panel still explains the placeholder
        browser.driver.manage().window().setSize(new Dimension(1024, 700));
        browser.driver.navigate().refresh();
        WebElement node = browser.find("node-mbdQ-vetkastar-fooocus");
        Rectangle box = node.getRect();
        Rectangle badge = browser.find("needs-replacing-mbdQ-vetkastar-fooocus").getRect();
        assertThat(badge.getX()).isGreaterThanOrEqualTo(box.getX());
        assertThat(badge.getX() + badge.getWidth()).isLessThanOrEqualTo(box.getX() + box.getWidth());
        node.findElement(By.className("wnode-title")).click();
        WebElement note = browser.find("placeholder-note");
        assertThat(note.getText()).contains("mlscade/fooocus");
        assertThat(note.getRect().getX() + note.getRect().getWidth()).isLessThanOrEqualTo(1024);
        browser.screenshot(SCREENSHOTS.resolve("scade-import-1024.png"));
        List<String> ids = new ArrayList<>();
        browser.driver.findElements(By.cssSelector("[data-test^='needs-replacing-']")).forEach(e -> ids.add(e.getText()));
        assertThat(ids).hasSize(3);
    }
}
