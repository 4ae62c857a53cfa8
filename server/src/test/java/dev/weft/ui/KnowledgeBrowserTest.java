package dev.weft.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The Knowledge page in a real headless Chromium: create a knowledge base, upload two small files through the file
 * input, see each reach "ready" with its progress bar full, open a document's chunks, and search: the passage that
 * answers comes first with its score and source. Saves knowledge.png under target/screenshots, or where
 * {@code -Dweft.screenshots} says.
 */
class KnowledgeBrowserTest extends BrowserTest {

    static Path file(Path dir, String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void a_knowledge_base_is_created_filled_from_files_and_searched() throws IOException {
        Path dir = Files.createTempDirectory("weft-kb-ui");
        Path guide = file(dir, "refunds.md", "# Refunds\n\nRefunds are paid to the original card within five working"
                + " days.\n\n# Shipping\n\nOrders over fifty euros ship for free; smaller ones cost four euros.\n");
        Path hours = file(dir, "opening-hours.txt", "The shop opens at nine in the morning and closes at six in the"
                + " evening, Monday to Saturday.\n");
        browser.setUpAdmin(server.base(), "knowledge password");
        browser.click("nav-knowledge");
        browser.click("new-kb");
        browser.type("kb-name", "handbook");
        browser.click("create-kb");
        assertThat(browser.find("kb-item").getText()).contains("handbook", "all-minilm-l6-v2-q");

        WebElement input = browser.driver.findElement(Browser.test("kb-file"));
        browser.js("arguments[0].hidden = false;", input);
        input.sendKeys(guide + "\n" + hours);
        browser.js("arguments[0].hidden = true;", input);   // as a person sees the page: the drop zone only

        browser.until(d -> d.findElements(By.cssSelector("[data-test='kb-doc'][data-status='ready']")).size() == 2);
        assertThat(browser.driver.findElements(Browser.test("kb-doc-status")).stream().map(WebElement::getText).toList())
                .containsExactlyInAnyOrder("ready · 2 chunks", "ready · 1 chunk");
        browser.type("kb-query", "how long until I get my money back?");
        browser.click("kb-search");
        WebElement first = browser.until(d -> {
            List<WebElement> results = d.findElements(Browser.test("kb-result"));
            return results.isEmpty() ? null : results.get(0);
        });
        assertThat(first.getText()).contains("refunds.md · Refunds", "Refunds are paid to the original card");
        assertThat(Double.parseDouble(first.findElement(Browser.test("kb-score")).getText())).isPositive();
        browser.screenshot(SCREENSHOTS.resolve("knowledge.png"));
    }
}
