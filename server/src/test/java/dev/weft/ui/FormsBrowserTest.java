package dev.weft.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.api.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import javax.imageio.ImageIO;

/**
 * Share as form, in a real headless Chromium: the admin makes a form with a password in the builder's Share dialog;
 * a visitor with no session opens the link, gives the password, fills the form in (a file upload too), is told of
 * a missing field next to it, sends it and sees the result. Saves forms-share.png, forms-public-light.png,
 * forms-public-dark.png and forms-result.png under target/screenshots (or {@code -Dweft.screenshots}).
 */
class FormsBrowserTest {

    static final Path SCREENSHOTS = Path.of(System.getProperty("weft.screenshots", "target/screenshots"));
    static final int PICTURE_WIDTH = 240;
    static final String FLOW = """
            {"name": "Postcard", "nodes": [
              {"id": "start", "type": "start", "settings": {"inputs": {
                "name": {"type": "string", "title": "Your name", "required": true, "x-order": 0,
                  "description": "As it should appear on the card"},
                "style": {"type": "string", "title": "Style", "enum": ["warm", "cool"], "x-order": 1},
                "picture": {"type": "string", "format": "uri", "title": "Picture", "required": true, "x-order": 2}}}},
              {"id": "card", "type": "template", "settings": {"template": "Dear {{start.name}}, a {{start.style}} card."}},
              {"id": "end", "type": "end", "settings": {"outputs": {"message": {"type": "string"},
                "picture": {"type": "string"}}}}],
             "edges": [
              {"from_node": "start", "to_node": "card", "fields_mapping": [{"from_field": "name", "to_field": "name"}]},
              {"from_node": "card", "to_node": "end", "fields_mapping": [{"from_field": "text", "to_field": "message"}]},
              {"from_node": "start", "to_node": "end", "fields_mapping": [{"from_field": "picture", "to_field": "picture"}]}]}""";

    static TestServer server;
    static Browser browser;
    @TempDir
    static Path folder;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        browser = new Browser(1280, 900);
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
        if (server != null) server.close();
    }

    @Test
    void a_visitor_without_a_session_fills_in_a_shared_form_with_a_file_and_sees_the_result() throws Exception {
        long flow = server.publishFlow(FLOW);
        browser.setUpAdmin(server.base(), "forms password");
        browser.until(d -> !d.findElements(Browser.test("nav-knowledge")).isEmpty());
        browser.driver.get(server.base() + "/#/flows/" + flow);
        browser.click("open-share");
        browser.click("share-create");
        String url = browser.find("share-url").getText();
        assertThat(url).matches(server.base() + "/forms/[A-Za-z0-9_-]{43}");
        browser.type("share-description", "Send your name and a picture: we make you a postcard.");
        browser.type("share-password", "open sesame");
        browser.click("share-set-password");
        browser.until(d -> d.findElement(By.cssSelector("[data-test='share-form'] .share-meta")).getText()
                .contains("password required"));
        JsonNode saved = server.get("/api/v1/flows/" + flow + "/forms", TestServer.ADMIN_AUTH).json().path("forms").get(0);
        assertThat(saved.path("description").asText()).startsWith("Send your name");
        browser.screenshot(SCREENSHOTS.resolve("forms-share.png"));

        browser.driver.manage().deleteAllCookies();   // a visitor: no session of any kind
        browser.driver.get(url);
        browser.type("form-password", "open sesame");
        browser.click("form-unlock");
        browser.find("form-field-name");
        new Select(browser.find("form-field-style")).selectByVisibleText("cool");
        Path picture = folder.resolve("picture.png");
        Files.write(picture, png());
        browser.find("form-field-picture").sendKeys(picture.toString());
        browser.click("form-submit");
        WebElement missing = browser.find("form-error-name");
        assertThat(missing.getText()).contains("is required");
        assertThat(browser.find("form-field-name").getAttribute("aria-invalid")).isEqualTo("true");

        browser.type("form-field-name", "Ada");
        browser.until(d -> !missing.isDisplayed());   // the field's problem goes once it is changed
        assertThat(browser.find("form-description").getText()).startsWith("Send your name");
        browser.screenshot(SCREENSHOTS.resolve("forms-public-light.png"));
        String light = background();
        scheme("dark");
        browser.until(d -> !background().equals(light));
        browser.screenshot(SCREENSHOTS.resolve("forms-public-dark.png"));
        scheme("light");
        browser.until(d -> background().equals(light));

        browser.click("form-submit");
        WebElement done = browser.until(d -> {
            List<WebElement> found = d.findElements(By.cssSelector("[data-test='form-status'][data-state='completed']"));
            return found.isEmpty() ? null : found.get(0);
        });
        assertThat(done.getText()).isEqualTo("Done");
        assertThat(browser.find("form-result").getText()).contains("Dear Ada, a cool card.");
        WebElement image = browser.until(d -> {
            List<WebElement> found = d.findElements(By.cssSelector("[data-output='picture'] img"));
            return !found.isEmpty() && Boolean.TRUE.equals(browser.js(
                    "return arguments[0].complete && arguments[0].naturalWidth > 0", found.get(0))) ? found.get(0) : null;
        });
        assertThat(image.getAttribute("src")).startsWith(server.base() + "/api/v1/files/f");
        assertThat(browser.js("return arguments[0].naturalWidth", image)).isEqualTo((long) PICTURE_WIDTH);
        browser.screenshot(SCREENSHOTS.resolve("forms-result.png"));
    }

    /** A small picture to upload: a gradient, so the result's preview shows something. */
    private static byte[] png() throws IOException {
        BufferedImage image = new BufferedImage(PICTURE_WIDTH, 120, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < PICTURE_WIDTH; x++) {
            for (int y = 0; y < 120; y++) image.setRGB(x, y, new Color(80 + x / 3, 70 + y, 229 - x / 4).getRGB());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static String background() {
        return (String) browser.js("return getComputedStyle(document.querySelector('.card')).backgroundColor");
    }

    private static void scheme(String value) {
        browser.driver.executeCdpCommand("Emulation.setEmulatedMedia",
                Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", value))));
    }
}
