package dev.weft.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.api.TestServer;
import dev.weft.builtin.FakeOpenAiMedia;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;

/**
 * The image example run from the builder in a real headless Chromium, against a fake of OpenAI's images API with a
 * credential created through the API: the Run panel shows the generated picture (a Weft file), at 1440x900 and at
 * 1024x700. Saves image.png under target/screenshots, or where {@code -Dweft.screenshots} says.
 */
class ImageBrowserTest extends BrowserTest {

    private FakeOpenAiMedia fake;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeOpenAiMedia();
    }

    @AfterEach
    void stop() {
        if (fake != null) fake.close();
    }

    @Test
    void the_run_panel_shows_the_generated_picture() {
        TestServer.Answer credential = server.post("/api/v1/credentials", "{\"name\": \"openai\", \"secret\": \""
                + FakeOpenAiMedia.KEY + "\", \"hosts\": [\"127.0.0.1\"]}", TestServer.ADMIN_AUTH);
        assertThat(credential.status()).as(credential.text()).isEqualTo(201);
        long flow = server.publishFlow(TestServer.example("image.json")
                .replace("https://api.openai.com/v1", fake.baseUrl()));
        browser.setUpAdmin(server.base(), "image password");
        browser.until(d -> !d.findElements(Browser.test("nav-knowledge")).isEmpty());
        browser.driver.get(server.base() + "/#/flows/" + flow);
        browser.click("open-run");
        browser.type("run-input-prompt", "A lighthouse at dusk");
        browser.click("run");

        WebElement picture = browser.until(d -> {
            var found = d.findElements(By.cssSelector("[data-test='run-media'] img"));
            return !found.isEmpty() && loaded(found.get(0)) ? found.get(0) : null;
        });
        assertThat(picture.getAttribute("src")).startsWith(server.base() + "/api/v1/files/f");
        assertThat(browser.js("return arguments[0].naturalWidth", picture)).isEqualTo((long) FakeOpenAiMedia.IMAGE_SIZE);
        assertThat(fake.on("/v1/images/generations").get(0).json().path("prompt").asText())
                .isEqualTo("A lighthouse at dusk");
        browser.js("arguments[0].scrollIntoView({block: 'center'})", picture);
        browser.screenshot(SCREENSHOTS.resolve("image.png"));

        browser.driver.manage().window().setSize(new Dimension(1024, 700));
        browser.until(d -> (Long) browser.js("return window.innerWidth") <= 1024);
        browser.js("arguments[0].scrollIntoView({block: 'center'})", picture);
        assertThat(picture.isDisplayed()).isTrue();
        assertThat(picture.getRect().getWidth()).as("the picture fits the panel").isPositive();
        long right = (Long) browser.js("return Math.round(arguments[0].getBoundingClientRect().right)", picture);
        long width = (Long) browser.js("return document.documentElement.clientWidth");
        assertThat(right).as("nothing runs off the screen at 1024x700").isLessThanOrEqualTo(width);
        browser.screenshot(SCREENSHOTS.resolve("image-1024.png"));
    }

    private boolean loaded(WebElement image) {
        return Boolean.TRUE.equals(browser.js("return arguments[0].complete && arguments[0].naturalWidth > 0", image));
    }
}
